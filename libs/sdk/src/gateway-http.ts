import { UnavailableError, ValidationError, WeaverError, type ErrorCode, type FieldViolation } from '@weaver/errors';
import { ErrorEnvelope, type ApiRoute, type RouteInput } from '@weaver/api-schema';

/**
 * An error answer of the gateway (status >= 400) that is not a list of violations (those are
 * `ValidationError`): its documented `code` (or one derived from the status when the body is not
 * the gateway's error JSON, e.g. a proxy's page), the status and the server's own message.
 */
export class GatewayError extends WeaverError {
  /**
   * An error answer, as the client saw it.
   * @param code the gateway's error code (or one derived from the HTTP status)
   * @param message what the client reports: the call and the server's message
   * @param status the HTTP status of the answer
   * @param serverMessage the message the gateway sent, when its body was the error JSON
   * @param details the error's `details` as the gateway sent them
   */
  constructor(
    code: ErrorCode,
    message: string,
    /** The HTTP status of the answer. */
    readonly status: number,
    /** The message the gateway sent (undefined when the body was not its error JSON, e.g. a proxy's page). */
    readonly serverMessage: string | undefined,
    details?: Record<string, unknown>,
  ) {
    super(code, message, { details, retriable: code === 'UNAVAILABLE' || code === 'DEADLINE_EXCEEDED' });
  }
}

const CODES: ReadonlySet<string> = new Set<ErrorCode>([
  'INVALID_ARGUMENT', 'NOT_FOUND', 'ALREADY_EXISTS', 'UNAUTHENTICATED', 'PERMISSION_DENIED', 'FAILED_PRECONDITION',
  'RESOURCE_EXHAUSTED', 'UNAVAILABLE', 'DEADLINE_EXCEEDED', 'CONFIG_INVALID', 'INTERNAL',
]);
const BY_STATUS: Record<number, ErrorCode> = { 400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 409: 'ALREADY_EXISTS', 412: 'FAILED_PRECONDITION', 422: 'INVALID_ARGUMENT', 429: 'RESOURCE_EXHAUSTED', 503: 'UNAVAILABLE', 504: 'DEADLINE_EXCEEDED' };

/** The gateway's error body `{ error: { code, message, details } }` (ErrorEnvelope) as a typed WeaverError. */
export async function errorOf(res: Response, what: string): Promise<WeaverError> {
  const text = await res.text().catch(() => '');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: a proxy's page or an empty body; the status decides
  }
  const envelope = ErrorEnvelope.safeParse(json);
  const e = envelope.success ? envelope.data.error : undefined;
  const violations: FieldViolation[] | undefined = e?.details?.violations;
  if (e?.code === 'INVALID_ARGUMENT' && violations) return new ValidationError(violations, what);
  const code: ErrorCode = e && CODES.has(e.code) ? (e.code as ErrorCode) : (BY_STATUS[res.status] ?? (res.status >= 500 && res.status !== 500 ? 'UNAVAILABLE' : 'INTERNAL'));
  return new GatewayError(code, `${what}: ${e?.message ?? (text.slice(0, 200) || `HTTP ${res.status}`)}`, res.status, e?.message, e?.details);
}

/** The request line of a route call: its path with `{params}` filled in (encoded) and its query string. */
export function requestPath<R extends ApiRoute>(route: R, input: RouteInput<R>): string {
  const { params, query } = input as { params?: Record<string, unknown>; query?: Record<string, unknown> };
  const path = route.path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(String(params?.[name] ?? '')));
  const entries = Object.entries(query ?? {}).filter((e): e is [string, string | number | boolean] => e[1] !== undefined && e[1] !== null && e[1] !== '');
  const search = new URLSearchParams(entries.map(([k, v]): [string, string] => [k, String(v)])).toString();
  return search ? `${path}?${search}` : path;
}

/** The answer did not match the route's response schema: a gateway of another version, or not a gateway. */
export function unexpectedAnswer(what: string, problem: string): WeaverError {
  return new WeaverError('INTERNAL', `unexpected answer from the gateway to ${what}: ${problem}`, { retriable: false });
}

/** A network failure (refused, reset, unknown host, timed out): retriable, the cause kept. */
export function unreachable(what: string, error: unknown): UnavailableError {
  return new UnavailableError(`${what}: ${(error as Error).message}`, { cause: error });
}
