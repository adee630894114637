import { type ErrorCode, WeaverError } from './weaver-error';

/**
 * What a client may be told about a failure: a code, a message that carries no internals, and
 * the id under which the server logged the whole error. Clients see it in HTTP bodies, gRPC
 * statuses, run views (`error`) and SSE events; the full text stays in the server's log.
 *
 * The rule, by code: a refusal of the caller's own request (bad input, not found, not allowed,
 * over quota …) is written by Weaver's code for the caller and shown as is. A failure of the
 * server or a dependency (UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL) may quote a database, a
 * bucket, a broker or a provider, so only its `publicMessage` (set where the text is known to
 * be safe, e.g. "retry with the same runId") or a generic sentence is shown.
 */
export interface PublicError {
  code: ErrorCode;
  message: string;
  /** Where the server logged the whole error (HTTP request id, gRPC call id, dead-letter ref). */
  correlationId?: string;
}

const SERVER_SIDE: ReadonlySet<ErrorCode> = new Set(['UNAVAILABLE', 'DEADLINE_EXCEEDED', 'INTERNAL']);

const GENERIC: Record<'UNAVAILABLE' | 'DEADLINE_EXCEEDED' | 'INTERNAL', string> = {
  UNAVAILABLE: 'a service Weaver depends on is unavailable; retry later',
  DEADLINE_EXCEEDED: 'the operation did not finish in time; retry later',
  INTERNAL: 'internal error',
};

/** Whether a code's message is shown to clients as written (see PublicError). */
export const isCallerFacing = (code: ErrorCode): boolean => !SERVER_SIDE.has(code);

export function publicErrorOf(err: unknown, correlationId?: string): PublicError {
  const e = err instanceof WeaverError ? err : undefined;
  const code: ErrorCode = e?.code ?? 'INTERNAL';
  const message = e && isCallerFacing(code) ? e.message : (e?.publicMessage ?? GENERIC[code as keyof typeof GENERIC]);
  return correlationId === undefined ? { code, message } : { code, message, correlationId };
}

/** One line for places that hold text only (a run's `error`, an SSE event): message + where it was logged. */
export function publicErrorText(err: unknown, correlationId?: string): string {
  const p = publicErrorOf(err, correlationId);
  return p.correlationId ? `${p.message} (${p.code}, ref ${p.correlationId})` : p.message;
}
