import { HttpException } from '@nestjs/common';
import { type ErrorCode, WeaverError, httpStatusOf } from '@weaver/errors';

/** The JSON every Weaver HTTP error has: code and message for people, details for programs. */
export interface HttpErrorBody {
  error: { code: ErrorCode; message: string; details: Record<string, unknown> };
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
 * Status and body for anything thrown by an HTTP handler. WeaverErrors keep their code and
 * message; Nest/Fastify HTTP errors keep their status; anything else is a 500 whose message
 * hides internals (the caller logs the real error). Never a stack trace.
 */
export function httpErrorOf(err: unknown): { status: number; body: HttpErrorBody; internal: boolean } {
  if (err instanceof WeaverError) {
    return { status: httpStatusOf(err.code), body: bodyOf(err.code, err.message, err.details), internal: err.code === 'INTERNAL' };
  }
  const status = statusOf(err);
  if (status !== undefined && status < 500) {
    const message = err instanceof Error ? err.message : 'request failed';
    return { status, body: bodyOf(codeOfHttpStatus[status] ?? 'INVALID_ARGUMENT', message, {}), internal: false };
  }
  const code = (status !== undefined && codeOfHttpStatus[status]) || 'INTERNAL';
  return { status: status ?? 500, body: bodyOf(code, 'internal error', {}), internal: true };
}

function statusOf(err: unknown): number | undefined {
  if (err instanceof HttpException) return err.getStatus();
  // Fastify's own errors (bad JSON body, unsupported media type) carry statusCode.
  if (err instanceof Error && 'statusCode' in err && typeof err.statusCode === 'number') return err.statusCode;
  return undefined;
}

function bodyOf(code: ErrorCode, message: string, details: Record<string, unknown>): HttpErrorBody {
  return { error: { code, message, details } };
}
