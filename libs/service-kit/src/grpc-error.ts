import { Metadata, type ServiceError, status as GrpcStatus } from '@grpc/grpc-js';
import { RpcException } from '@nestjs/microservices';
import {
  AlreadyExistsError,
  DeadlineExceededError,
  type ErrorCode,
  ConflictError,
  FailedPreconditionError,
  type FieldViolation,
  NotFoundError,
  PermissionDeniedError,
  ResourceExhaustedError,
  UnauthenticatedError,
  UnavailableError,
  ValidationError,
  WeaverError,
  errorCodeOfGrpc,
  grpcStatusOf,
  isCallerFacing,
  publicErrorText,
} from '@weaver/errors';

// Trailers that carry the exact Weaver error across a gRPC hop: several codes share one gRPC
// status (CONFIG_INVALID and INVALID_ARGUMENT are both 3), and details are structured.
const CODE_KEY = 'weaver-error-code';
const DETAILS_KEY = 'weaver-error-details-bin';
const RETRIABLE_KEY = 'weaver-error-retriable';
const CORRELATION_KEY = 'weaver-correlation-id';

/** What grpc-js sends for a failed call: numeric status, message, trailing metadata. */
export interface GrpcErrorStatus {
  code: number;
  message: string;
  details: string;
  metadata: Metadata;
}

/**
 * The gRPC status for anything thrown by a gRPC handler (unknown errors are "internal error").
 * `publicCorrelationId` set: the caller is outside Weaver (the gateway's API), so a server-side
 * failure goes out as its public error (publicErrorOf) naming that id, and its details stay
 * home. Between Weaver's own services the whole message travels, for the receiving service to
 * log; whatever reaches a client passes one of these edges.
 */
export function grpcErrorOf(err: unknown, publicCorrelationId?: string): GrpcErrorStatus & { internal: boolean } {
  if (err instanceof WeaverError) {
    const hide = publicCorrelationId !== undefined && !isCallerFacing(err.code);
    const metadata = new Metadata();
    metadata.set(CODE_KEY, err.code);
    metadata.set(RETRIABLE_KEY, String(err.retriable));
    metadata.set(DETAILS_KEY, Buffer.from(JSON.stringify(hide ? {} : err.details)));
    if (hide) metadata.set(CORRELATION_KEY, publicCorrelationId);
    const code = grpcStatusOf(err.code);
    const message = hide ? publicErrorText(err, publicCorrelationId) : err.message;
    return { code, message, details: message, metadata, internal: err.code === 'INTERNAL' || hide };
  }
  if (err instanceof RpcException) {
    const inner = err.getError();
    if (typeof inner === 'object' && inner !== null && 'code' in inner && typeof inner.code === 'number') {
      const message = 'message' in inner && typeof inner.message === 'string' ? inner.message : err.message;
      return { code: inner.code, message, details: message, metadata: new Metadata(), internal: false };
    }
  }
  return { code: GrpcStatus.INTERNAL, message: 'internal error', details: 'internal error', metadata: new Metadata(), internal: true };
}

function isServiceError(err: unknown): err is ServiceError {
  return err instanceof Error && 'code' in err && typeof err.code === 'number' && 'metadata' in err;
}

/**
 * A failed gRPC call (client side) as the WeaverError subclass the server threw, so callers
 * handle `NotFoundError` the same whether it came from their own code or another service.
 */
export function weaverErrorFromGrpc(err: unknown): WeaverError {
  if (err instanceof WeaverError) return err;
  if (!isServiceError(err)) return new WeaverError('INTERNAL', err instanceof Error ? err.message : String(err), { retriable: true, cause: err });
  const sent = String(err.metadata.get(CODE_KEY)[0] ?? '');
  const code: ErrorCode = isErrorCode(sent) ? sent : errorCodeOfGrpc(err.code);
  const details = detailsOf(err.metadata);
  const message = err.details || err.message;
  const result = errorFor(code, message, details, err);
  result.message = message;
  const retriable = err.metadata.get(RETRIABLE_KEY)[0];
  if (retriable !== undefined) Object.defineProperty(result, 'retriable', { value: retriable === 'true' });
  return result;
}

function errorFor(code: ErrorCode, message: string, details: Record<string, unknown>, cause: ServiceError): WeaverError {
  switch (code) {
    case 'INVALID_ARGUMENT':
      return new ValidationError(violationsOf(details), 'request', { cause });
    case 'NOT_FOUND':
      return new NotFoundError(String(details['resource'] ?? 'resource'), String(details['id'] ?? ''));
    case 'ALREADY_EXISTS':
      return new AlreadyExistsError(String(details['resource'] ?? 'resource'), String(details['id'] ?? ''));
    case 'UNAUTHENTICATED':
      return new UnauthenticatedError(message);
    case 'PERMISSION_DENIED':
      return new PermissionDeniedError(message, details);
    case 'FAILED_PRECONDITION':
      return new FailedPreconditionError(message, details);
    case 'ABORTED':
      return new ConflictError(message, details);
    case 'RESOURCE_EXHAUSTED':
      return new ResourceExhaustedError(message, details);
    case 'UNAVAILABLE':
      return new UnavailableError(message, { cause, details });
    case 'DEADLINE_EXCEEDED':
      return new DeadlineExceededError(message, { cause, details });
    case 'CONFIG_INVALID':
      return new WeaverError(code, message, { cause, details });
    case 'INTERNAL':
      return new WeaverError(code, message, { cause, details, retriable: true });
  }
}

const ERROR_CODES: readonly ErrorCode[] = [
  'INVALID_ARGUMENT', 'NOT_FOUND', 'ALREADY_EXISTS', 'UNAUTHENTICATED', 'PERMISSION_DENIED',
  'FAILED_PRECONDITION', 'ABORTED', 'RESOURCE_EXHAUSTED', 'UNAVAILABLE', 'DEADLINE_EXCEEDED', 'CONFIG_INVALID', 'INTERNAL',
];

function isErrorCode(value: string): value is ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(value);
}

function detailsOf(metadata: Metadata): Record<string, unknown> {
  const raw = metadata.get(DETAILS_KEY)[0];
  if (!Buffer.isBuffer(raw)) return {};
  try {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function violationsOf(details: Record<string, unknown>): FieldViolation[] {
  const list = details['violations'];
  if (!Array.isArray(list)) return [];
  return list.flatMap((v: unknown) =>
    typeof v === 'object' && v !== null && 'field' in v && 'rule' in v ? [{ field: String(v.field), rule: String(v.rule) }] : [],
  );
}
