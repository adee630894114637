import { WeaverError, type WeaverErrorOptions } from './weaver-error';

/** One broken rule on one field, e.g. `{ field: "input.topic", rule: "must be a non-empty string" }`. */
export interface FieldViolation {
  field: string;
  rule: string;
}

export class ValidationError extends WeaverError {
  constructor(
    readonly violations: FieldViolation[],
    context = 'input',
    options: WeaverErrorOptions = {},
  ) {
    super(
      'INVALID_ARGUMENT',
      `${context} is invalid: ${violations.map((v) => `${v.field}: ${v.rule}`).join('; ')}`,
      { ...options, retriable: false, details: { violations, ...options.details } },
    );
  }
}

export class NotFoundError extends WeaverError {
  constructor(resource: string, id: string) {
    super('NOT_FOUND', `${resource} ${id} not found`, { details: { resource, id } });
  }
}

export class AlreadyExistsError extends WeaverError {
  constructor(resource: string, id: string) {
    super('ALREADY_EXISTS', `${resource} ${id} already exists`, { details: { resource, id } });
  }
}

export class UnauthenticatedError extends WeaverError {
  constructor(message = 'a valid API key is required (header: authorization: Bearer <key> or x-api-key)') {
    super('UNAUTHENTICATED', message);
  }
}

export class PermissionDeniedError extends WeaverError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('PERMISSION_DENIED', message, { details });
  }
}

export class FailedPreconditionError extends WeaverError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('FAILED_PRECONDITION', message, { details });
  }
}

/**
 * The resource is not in a state that allows the operation (e.g. retrying a run that is not
 * failed): HTTP 409, gRPC ABORTED. The message names the state; `details.state` carries it.
 */
export class ConflictError extends WeaverError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('ABORTED', message, { details });
  }
}

export class ResourceExhaustedError extends WeaverError {
  constructor(message: string, details: Record<string, unknown> = {}, retriable = false) {
    super('RESOURCE_EXHAUSTED', message, { details, retriable });
  }
}

/**
 * The error every quota refusal is (gateway intake, router, publisher): 429 / RESOURCE_EXHAUSTED,
 * naming the quota in the message and in `details.quota`, with when to retry (`Retry-After`).
 */
export function quotaExceeded(quota: string, limit: number, retryAfterMs: number, what: string, details: Record<string, unknown> = {}): ResourceExhaustedError {
  const retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new ResourceExhaustedError(`quota ${quota} exceeded: ${what} (limit ${limit}); retry after ${retryAfterSeconds} s`, { ...details, quota, limit, retryAfterSeconds }, true);
}

export class UnavailableError extends WeaverError {
  constructor(message: string, options: WeaverErrorOptions = {}) {
    super('UNAVAILABLE', message, { ...options, retriable: true });
  }
}

export class DeadlineExceededError extends WeaverError {
  constructor(message: string, options: WeaverErrorOptions = {}) {
    super('DEADLINE_EXCEEDED', message, { ...options, retriable: true });
  }
}

export class ConfigError extends WeaverError {
  constructor(
    source: string,
    readonly violations: FieldViolation[],
  ) {
    super(
      'CONFIG_INVALID',
      `invalid configuration in ${source}:\n${violations.map((v) => `  - ${v.field}: ${v.rule}`).join('\n')}`,
      { details: { source, violations } },
    );
  }
}
