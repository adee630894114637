import { PermissionDeniedError, quotaExceeded, ResourceExhaustedError, ValidationError, WeaverError } from '@weaver/errors';

/** No model in the catalogue can serve the request (capabilities, classification, context size). */
export class NoCapableModelError extends WeaverError {
  constructor(reason: string, details: Record<string, unknown>) {
    super('FAILED_PRECONDITION', `no model can serve this request: ${reason}`, { details });
  }
}

/**
 * The tenant's budget cannot cover the call's worst-case cost: refused before any provider is
 * called. `byQuota`: the limit is the tenant's `budget_usd` quota (it has no budget of its own),
 * named in the message and `details.quota`.
 */
export class BudgetExhaustedError extends ResourceExhaustedError {
  constructor(tenantId: string, limitUsd: number, spentUsd: number, reservedUsd: number, requestedUsd: number, byQuota = false) {
    super(
      `budget exhausted for tenant ${tenantId}${byQuota ? ' (quota budget_usd)' : ''}: limit $${limitUsd.toFixed(6)}, spent $${spentUsd.toFixed(6)}, reserved $${reservedUsd.toFixed(6)}, this call needs up to $${requestedUsd.toFixed(6)}`,
      { tenantId, limitUsd, spentUsd, reservedUsd, requestedUsd, reason: 'BUDGET_EXHAUSTED', ...(byQuota ? { quota: 'budget_usd' } : {}) },
    );
  }
}

/** Seconds until the next UTC midnight, when a tokens/day quota starts again. */
export const untilUtcMidnightMs = (now = Date.now()): number => 86_400_000 - (now % 86_400_000);

/**
 * The call's worst-case tokens (prompt + max output) do not fit in what is left of the tenant's
 * `tokens_per_day` today (used + held by calls in flight): RESOURCE_EXHAUSTED naming the quota,
 * retriable after the next UTC midnight.
 */
export class TokensPerDayExhaustedError extends ResourceExhaustedError {
  constructor(tenantId: string, limit: number, used: number, reserved: number, requested: number, now = Date.now()) {
    const refusal = quotaExceeded('tokens_per_day', limit, untilUtcMidnightMs(now), `tenant ${tenantId} used ${used} tokens today, ${reserved} are held by calls in flight, this call needs up to ${requested}`, {
      tenantId,
      used,
      reserved,
      requested,
      reason: 'TOKENS_PER_DAY_EXHAUSTED',
    });
    super(refusal.message, refusal.details, true);
  }
}

/** The request's data is classified above what the named model may receive (its `max_classification`). */
export class ClassificationCeilingError extends PermissionDeniedError {
  constructor(model: string, ceiling: string, level: string) {
    super(`model ${model} may receive data up to "${ceiling}"; this request is "${level}" (models.yaml max_classification)`, { model, ceiling, level });
  }
}

export const invalid = (field: string, rule: string): ValidationError => new ValidationError([{ field, rule }], 'request');
