/**
 * The root of Weaver's typed error hierarchy. Every error that crosses a module boundary is a
 * WeaverError with a stable `code`, a `retriable` flag that the event layer uses to decide
 * between backoff-and-retry and the dead-letter topic, and the original `cause`.
 */
export type ErrorCode =
  | 'INVALID_ARGUMENT'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'UNAUTHENTICATED'
  | 'PERMISSION_DENIED'
  | 'FAILED_PRECONDITION'
  | 'ABORTED'
  | 'RESOURCE_EXHAUSTED'
  | 'UNAVAILABLE'
  | 'DEADLINE_EXCEEDED'
  | 'CONFIG_INVALID'
  | 'INTERNAL';

export interface WeaverErrorOptions {
  retriable?: boolean;
  cause?: unknown;
  details?: Record<string, unknown>;
  /**
   * For server-side codes (UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL), what a client may be told
   * instead of `message`, which may quote a dependency (see public-error.ts). Unset: a generic
   * sentence per code.
   */
  publicMessage?: string;
}

export class WeaverError extends Error {
  readonly retriable: boolean;
  readonly details: Record<string, unknown>;
  readonly publicMessage?: string;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: WeaverErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retriable = options.retriable ?? false;
    this.details = options.details ?? {};
    if (options.publicMessage !== undefined) this.publicMessage = options.publicMessage;
  }

  toJSON(): { code: ErrorCode; message: string; retriable: boolean; details: Record<string, unknown> } {
    return { code: this.code, message: this.message, retriable: this.retriable, details: this.details };
  }
}

/** Anything thrown, as a WeaverError: unknown errors are INTERNAL and retriable (transient until proven otherwise). */
export function asWeaverError(err: unknown): WeaverError {
  if (err instanceof WeaverError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new WeaverError('INTERNAL', message, { retriable: true, cause: err });
}
