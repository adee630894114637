import type { OpenAiErrorBody } from '@weaver/api-schema';
import { type ErrorCode, ValidationError, WeaverError, httpStatusOf, publicErrorOf } from '@weaver/errors';
import { BreakerOpenError } from '@weaver/resilience';
import { BudgetExhaustedError, NoCapableModelError } from '../router-errors';
import { openAiParamOf } from './openai-request';

/** An error as OpenAI answers it: status, `{ error: { message, type, param, code } }` and headers. */
export interface OpenAiErrorReply {
  status: number;
  body: OpenAiErrorBody;
  headers: Record<string, string>;
  /** Server-side: the caller logs the whole error under the correlation id the message names. */
  internal: boolean;
}

const TYPE: Record<ErrorCode, string> = {
  INVALID_ARGUMENT: 'invalid_request_error',
  CONFIG_INVALID: 'invalid_request_error',
  FAILED_PRECONDITION: 'invalid_request_error',
  NOT_FOUND: 'invalid_request_error',
  ALREADY_EXISTS: 'invalid_request_error',
  ABORTED: 'invalid_request_error',
  UNAUTHENTICATED: 'invalid_request_error',
  PERMISSION_DENIED: 'permission_error',
  RESOURCE_EXHAUSTED: 'rate_limit_error',
  UNAVAILABLE: 'server_error',
  DEADLINE_EXCEEDED: 'server_error',
  INTERNAL: 'server_error',
};

// The router's own field names, as the OpenAI request (or header) that carries them.
const PARAMS: Record<string, string> = { idempotency_key: 'Idempotency-Key', classification: 'x-weaver-classification', model_hint: 'model', json_schema: 'response_format.json_schema.schema', json_schema_name: 'response_format.json_schema.name', texts: 'input' };
const paramOf = (field: string): string =>
  openAiParamOf(field)
    .replace(/^texts\[/, 'input[')
    .replace(/^tools\[(\d+)\]\.json_schema$/, 'tools[$1].function.parameters')
    .replace(/^[a-z_]+/, (f) => PARAMS[f] ?? f);

/** OpenAI's clients retry 429 and 5xx by themselves; a refusal that lasts longer than that says not to. */
const LONG_RETRY_S = 60;

/**
 * Status, OpenAI error body and headers for anything a route throws: 400 naming the parameter,
 * 401 `invalid_api_key`, 402 `insufficient_quota` (the budget is spent: not retriable until an
 * admin raises it, and 402 is a status OpenAI's clients do not retry), 404 `model_not_found`,
 * 429 with Retry-After (tokens/day, throttled credentials), 503 (breaker open, idempotent call in
 * progress). Messages are the public ones (server-side failures without internals).
 */
export function openAiErrorOf(err: unknown, correlationId: string): OpenAiErrorReply {
  const e = err instanceof WeaverError ? err : undefined;
  const code: ErrorCode = e?.code ?? 'INTERNAL';
  const shown = publicErrorOf(err, correlationId);
  const message = shown.correlationId ? `${shown.message} (ref ${shown.correlationId})` : shown.message;
  const headers: Record<string, string> = {};
  const reply = (status: number, type: string, param: string | null, errCode: string | null): OpenAiErrorReply => ({ status, body: { error: { message, type, param, code: errCode } }, headers, internal: code === 'INTERNAL' || (status >= 500 && !(err instanceof BreakerOpenError)) });
  const retryAfter = e?.details['retryAfterSeconds'];
  if (typeof retryAfter === 'number' && Number.isFinite(retryAfter)) {
    headers['retry-after'] = String(Math.ceil(retryAfter));
    if (retryAfter > LONG_RETRY_S) headers['x-should-retry'] = 'false';
  }
  if (err instanceof ValidationError) return reply(400, TYPE[code], err.violations[0] ? paramOf(err.violations[0].field) : null, 'invalid_value');
  if (err instanceof BudgetExhaustedError) return reply(402, 'insufficient_quota', null, 'insufficient_quota');
  if (err instanceof NoCapableModelError) return reply(400, 'invalid_request_error', 'model', 'model_not_capable');
  if (err instanceof BreakerOpenError) return reply(503, 'server_error', null, 'breaker_open');
  switch (code) {
    case 'UNAUTHENTICATED':
      return reply(401, TYPE[code], null, 'invalid_api_key');
    case 'NOT_FOUND':
      return reply(404, TYPE[code], e?.details['resource'] === 'model' ? 'model' : null, e?.details['resource'] === 'model' ? 'model_not_found' : 'not_found');
    case 'FAILED_PRECONDITION':
      return reply(400, TYPE[code], null, 'failed_precondition');
    case 'RESOURCE_EXHAUSTED':
      return reply(429, TYPE[code], null, typeof e?.details['quota'] === 'string' ? e.details['quota'] : 'rate_limit_exceeded');
    default:
      return reply(httpStatusOf(code), TYPE[code], null, code.toLowerCase());
  }
}
