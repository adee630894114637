import { PermissionDeniedError, ResourceExhaustedError, ValidationError, WeaverError } from '@weaver/errors';

/** No model in the catalogue can serve the request (capabilities, classification, context size). */
export class NoCapableModelError extends WeaverError {
  constructor(reason: string, details: Record<string, unknown>) {
    super('FAILED_PRECONDITION', `no model can serve this request: ${reason}`, { details });
  }
}

/** The tenant's budget cannot cover the call's worst-case cost: refused before any provider is called. */
export class BudgetExhaustedError extends ResourceExhaustedError {
  constructor(tenantId: string, limitUsd: number, spentUsd: number, reservedUsd: number, requestedUsd: number) {
    super(
      `budget exhausted for tenant ${tenantId}: limit $${limitUsd.toFixed(6)}, spent $${spentUsd.toFixed(6)}, reserved $${reservedUsd.toFixed(6)}, this call needs up to $${requestedUsd.toFixed(6)}`,
      { tenantId, limitUsd, spentUsd, reservedUsd, requestedUsd, reason: 'BUDGET_EXHAUSTED' },
    );
  }
}

export class RestrictedDataError extends PermissionDeniedError {
  constructor(model: string) {
    super(`model ${model} is not self-hosted: requests classified "restricted" go only to self-hosted models`, { model });
  }
}

export const invalid = (field: string, rule: string): ValidationError => new ValidationError([{ field, rule }], 'request');
