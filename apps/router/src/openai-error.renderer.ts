import { WeaverError } from '@weaver/errors';
import { openAiErrorOf } from '@weaver/model-router';
import { httpErrorOf, type HttpErrorRenderer, type RenderedHttpError } from '@weaver/service-kit';

/** The router's HTTP paths in OpenAI's error shape: its OpenAI-compatible API (health and metrics are elsewhere). */
const OPENAI_PATHS = /^\/v1(\/|\?|$)/;

/** Fastify's and Nest's own refusals (a body that is not JSON, an unknown route, a wrong media type), kept with their 4xx status. */
function frameworkRefusal(err: unknown, correlationId: string): RenderedHttpError | undefined {
  if (err instanceof WeaverError) return undefined;
  const { status, body } = httpErrorOf(err, correlationId);
  if (status >= 500) return undefined;
  const code = status === 404 ? 'unknown_url' : null;
  return { status, body: { error: { message: body.error.message, type: 'invalid_request_error', param: null, code } }, internal: false };
}

/**
 * Errors on /v1/* in OpenAI's shape (`{ error: { message, type, param, code } }`), so OpenAI's
 * clients raise their usual error classes — through the service kit's one exception filter
 * (HTTP_ERROR_RENDERER), so what fails before a handler runs (a body that is not JSON, an unknown
 * /v1 path) gets it too. gRPC, health and metrics keep Weaver's shape.
 */
export const openAiErrorRenderer: HttpErrorRenderer = (err, url, correlationId) =>
  OPENAI_PATHS.test(url) ? (frameworkRefusal(err, correlationId) ?? openAiErrorOf(err, correlationId)) : undefined;
