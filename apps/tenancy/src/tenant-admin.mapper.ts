import { tenancy } from '@weaver/contracts';
import { ValidationError } from '@weaver/errors';
import type { ApiKeyInfo, Tenant, TenantChange, TenantState } from '@weaver/tenancy-core';

const { TenantState: State, TenantStateChange: Change, TenantTier: Tier } = tenancy;

const STATE_TO_PROTO: Record<TenantState, tenancy.TenantState> = {
  active: State.TENANT_STATE_ACTIVE,
  suspended: State.TENANT_STATE_SUSPENDED,
  deleting: State.TENANT_STATE_DELETING,
  erased: State.TENANT_STATE_ERASED,
};

export const tenantToProto = (t: Tenant): tenancy.Tenant => ({
  tenantId: t.id,
  name: t.name,
  tier: t.tier === 'isolated' ? Tier.TENANT_TIER_ISOLATED : Tier.TENANT_TIER_STANDARD,
  createdAtMs: t.createdAt.getTime(),
  state: STATE_TO_PROTO[t.state],
  stateChangedAtMs: t.stateChangedAt.getTime(),
});

/** A state filter of ListTenants; unspecified → all. */
export function stateFilterOf(state: tenancy.TenantState | undefined): TenantState | undefined {
  if (state === undefined || state === State.TENANT_STATE_UNSPECIFIED) return undefined;
  const found = (Object.entries(STATE_TO_PROTO) as Array<[TenantState, tenancy.TenantState]>).find(([, p]) => p === state);
  if (!found) throw new ValidationError([{ field: 'state', rule: 'must be a TenantState' }]);
  return found[0];
}

export function changeOf(change: tenancy.TenantStateChange | undefined): TenantChange {
  switch (change) {
    case Change.TENANT_STATE_CHANGE_SUSPEND:
      return 'suspend';
    case Change.TENANT_STATE_CHANGE_RESUME:
      return 'resume';
    case Change.TENANT_STATE_CHANGE_DELETE:
      return 'delete';
    default:
      throw new ValidationError([{ field: 'change', rule: 'must be TENANT_STATE_CHANGE_SUSPEND, _RESUME or _DELETE' }]);
  }
}

export const apiKeyToProto = (k: ApiKeyInfo): tenancy.ApiKey => ({
  keyId: k.keyId,
  name: k.name,
  prefix: k.prefix,
  roles: [...k.roles],
  createdAtMs: k.createdAt.getTime(),
  revokedAtMs: k.revokedAt?.getTime() ?? 0,
});
