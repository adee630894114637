/**
 * The operator's typed errors. A Kubernetes API failure keeps the server's reason (e.g.
 * `NotFound` when the KEDA CRD is not installed, `Invalid` when a child is refused), which the
 * pool's Degraded condition reports.
 */
import { ValidationError, WeaverError, type FieldViolation } from '@weaver/errors';

export class KubeApiError extends WeaverError {
  constructor(
    readonly operation: string,
    readonly statusCode: number | undefined,
    readonly reason: string,
    message: string,
    cause?: unknown,
  ) {
    // 409 (conflict) and 5xx are worth another try; 4xx refusals need a change first, but the
    // controller still retries them with backoff (a missing CRD may be installed later).
    super(statusCode === 404 ? 'NOT_FOUND' : statusCode !== undefined && statusCode < 500 && statusCode !== 409 ? 'FAILED_PRECONDITION' : 'UNAVAILABLE', `${operation}: ${message}`, {
      retriable: statusCode === undefined || statusCode >= 500 || statusCode === 409,
      cause,
      details: { operation, statusCode, reason },
    });
  }
}

/** A spec the CRD's schema let through but the controller refuses (an older CRD, or a rule zod checks beyond it). */
export class InvalidPoolSpecError extends ValidationError {
  constructor(pool: string, violations: FieldViolation[]) {
    super(violations, `AgentPool ${pool} spec`);
  }
}

/** The Kubernetes `reason` a failure is reported under in the Degraded condition. */
export function degradedReason(err: unknown): string {
  if (err instanceof InvalidPoolSpecError) return 'InvalidSpec';
  if (err instanceof KubeApiError) return `Apply${err.reason.replace(/[^A-Za-z0-9]/g, '') || 'Failed'}`;
  return 'ReconcileFailed';
}
