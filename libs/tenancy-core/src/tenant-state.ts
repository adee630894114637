import { FailedPreconditionError } from '@weaver/errors';

/** Where a tenant is in its life (tenancy.tenants.state); `erased` has no row, only its erasure record. */
export const TENANT_STATES = ['active', 'suspended', 'deleting', 'erased'] as const;
export type TenantState = (typeof TENANT_STATES)[number];

/** What an admin asks of a tenant (ChangeTenantState). */
export const TENANT_CHANGES = ['suspend', 'resume', 'delete'] as const;
export type TenantChange = (typeof TENANT_CHANGES)[number];

/**
 * THE transition table of a tenant: state → change → next state. A change to the state the
 * tenant is already in is a retry (answered, nothing written); a change not listed is refused.
 * `deleting` leaves only through the erasure step (the row goes), never back to active: its
 * keys were refused from the request on, and a resumed tenant would be half erased.
 */
export const TENANT_TRANSITIONS: Readonly<Record<TenantState, Partial<Record<TenantChange, TenantState>>>> = {
  active: { suspend: 'suspended', resume: 'active', delete: 'deleting' },
  suspended: { suspend: 'suspended', resume: 'active', delete: 'deleting' },
  deleting: { delete: 'deleting' },
  erased: { delete: 'erased' },
};

/** The state `change` leads `from` to; FailedPreconditionError when the table has no such move. */
export function nextTenantState(from: TenantState, change: TenantChange): TenantState {
  const to = TENANT_TRANSITIONS[from][change];
  if (to === undefined) throw new FailedPreconditionError(`a ${from} tenant cannot be ${change === 'resume' ? 'resumed' : change === 'suspend' ? 'suspended' : 'deleted'}`);
  return to;
}

/** Only an active tenant's keys resolve. */
export const acceptsKeys = (state: TenantState): boolean => state === 'active';
