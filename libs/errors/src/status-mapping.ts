import type { ErrorCode } from './weaver-error';

/** HTTP status per error code: mapped once, at the edge, exhaustively. */
export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case 'INVALID_ARGUMENT':
    case 'CONFIG_INVALID':
      return 400;
    case 'UNAUTHENTICATED':
      return 401;
    case 'PERMISSION_DENIED':
      return 403;
    case 'NOT_FOUND':
      return 404;
    case 'ALREADY_EXISTS':
      return 409;
    case 'FAILED_PRECONDITION':
      return 412;
    case 'ABORTED':
      return 409;
    case 'RESOURCE_EXHAUSTED':
      return 429;
    case 'UNAVAILABLE':
      return 503;
    case 'DEADLINE_EXCEEDED':
      return 504;
    case 'INTERNAL':
      return 500;
  }
}

/** gRPC status code (numeric, as in grpc/status.proto) per error code. */
export function grpcStatusOf(code: ErrorCode): number {
  switch (code) {
    case 'INVALID_ARGUMENT':
    case 'CONFIG_INVALID':
      return 3;
    case 'DEADLINE_EXCEEDED':
      return 4;
    case 'NOT_FOUND':
      return 5;
    case 'ALREADY_EXISTS':
      return 6;
    case 'PERMISSION_DENIED':
      return 7;
    case 'RESOURCE_EXHAUSTED':
      return 8;
    case 'FAILED_PRECONDITION':
      return 9;
    case 'ABORTED':
      return 10;
    case 'INTERNAL':
      return 13;
    case 'UNAVAILABLE':
      return 14;
    case 'UNAUTHENTICATED':
      return 16;
  }
}

const fromGrpc: Record<number, ErrorCode> = {
  3: 'INVALID_ARGUMENT',
  4: 'DEADLINE_EXCEEDED',
  5: 'NOT_FOUND',
  6: 'ALREADY_EXISTS',
  7: 'PERMISSION_DENIED',
  8: 'RESOURCE_EXHAUSTED',
  9: 'FAILED_PRECONDITION',
  10: 'ABORTED',
  14: 'UNAVAILABLE',
  16: 'UNAUTHENTICATED',
};

/** The Weaver code for a gRPC status a client received (anything unknown is INTERNAL). */
export function errorCodeOfGrpc(status: number): ErrorCode {
  return fromGrpc[status] ?? 'INTERNAL';
}
