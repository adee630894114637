import { HttpException } from '@nestjs/common';
import { type ErrorCode, WeaverError, httpStatusOf, isCallerFacing, publicErrorOf } from '@weaver/errors';

/** The JSON every Weaver HTTP error has: code and message for people, details for programs. */
export interface HttpErrorBody {
  error: { code: ErrorCode; message: string; details: Record<string, unknown>; correlationId?: string };
}

const codeOfHttpStatus: Record<number, ErrorCode> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
  412: 'FAILED_PRECONDITION',
  429: 'RESOURCE_EXHAUSTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/**
 * Status and body for anything thrown by an HTTP handler. WeaverErrors keep their code; the
 * message is the public one (`publicErrorOf`: a refusal of the caller's request as written, a
 * server-side failure without the dependency's text); Nest/Fastify HTTP errors keep their
 * status; anything else is a 500 "internal error". `internal`: the caller must log the whole
 * error under `correlationId`, which the body names. Never a stack trace.
 */
export function httpErrorOf(err: unknown, correlationId?: string): { status: number; body: HttpErrorBody; internal: boolean } {
  if (err instanceof WeaverError) {
    const shown = publicErrorOf(err, correlationId);
    const facing = isCallerFacing(err.code);
    return { status: httpStatusOf(err.code), body: bodyOf(err.code, shown.message, facing ? err.details : numbersOf(err.details), correlationId), internal: !facing };
  }
  const status = statusOf(err);
  if (status !== undefined && status < 500) {
    const message = err instanceof Error ? err.message : 'request failed';
    return { status, body: bodyOf(codeOfHttpStatus[status] ?? 'INVALID_ARGUMENT', message, {}, correlationId), internal: false };
  }
  const code = (status !== undefined && codeOfHttpStatus[status]) || 'INTERNAL';
  return { status: status ?? 500, body: bodyOf(code, 'internal error', {}, correlationId), internal: true };
}

/** A server-side error's details may quote a dependency too: only numbers (retryAfterSeconds, attempts) go out. */
function numbersOf(details: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(details).filter(([, v]) => typeof v === 'number'));
}

function statusOf(err: unknown): number | undefined {
  if (err instanceof HttpException) return err.getStatus();
  // Fastify's own errors (bad JSON body, unsupported media type) carry statusCode.
  if (err instanceof Error && 'statusCode' in err && typeof err.statusCode === 'number') return err.statusCode;
  return undefined;
}

function bodyOf(code: ErrorCode, message: string, details: Record<string, unknown>, correlationId: string | undefined): HttpErrorBody {
  return { error: correlationId === undefined ? { code, message, details } : { code, message, details, correlationId } };
}
