/** An HTTP error as a service's own shape renders it. */
export interface RenderedHttpError {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Server-side: logged in full under the correlation id. */
  internal: boolean;
}

/**
 * A service's own error shape for some of its HTTP paths (the router's OpenAI-compatible API
 * answers OpenAI's): `undefined` leaves the error to Weaver's shape. Provided by the app module
 * under HTTP_ERROR_RENDERER; the service kit's one exception filter applies it, so errors raised
 * before a handler runs (a body that is not JSON, an unknown path) get the same shape.
 */
export type HttpErrorRenderer = (err: unknown, url: string, correlationId: string) => RenderedHttpError | undefined;

export const HTTP_ERROR_RENDERER = Symbol('weaver.http-error-renderer');
