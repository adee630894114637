import { registry, tenancy } from '@weaver/contracts';
import type { adminSchemas } from '@weaver/api-schema';
import type { z } from 'zod';

type TenantView = z.infer<typeof adminSchemas.tenantView>;
type ApiKeyView = z.infer<typeof adminSchemas.apiKeyView>;
type InstanceView = z.infer<typeof adminSchemas.instanceView>;
type AgentView = z.infer<typeof adminSchemas.agentView>;
type BudgetView = z.infer<typeof adminSchemas.budgetView>;

const { TenantState: State, TenantTier: Tier, InstanceHealth: Health } = { ...tenancy, InstanceHealth: registry.InstanceHealth };
const iso = (ms: number): string => new Date(ms).toISOString();

const STATES: Record<string, TenantView['state']> = {
  [State.TENANT_STATE_ACTIVE]: 'active',
  [State.TENANT_STATE_SUSPENDED]: 'suspended',
  [State.TENANT_STATE_DELETING]: 'deleting',
  [State.TENANT_STATE_ERASED]: 'erased',
};
export const TENANT_STATE_FILTER: Record<string, tenancy.TenantState> = {
  active: State.TENANT_STATE_ACTIVE,
  suspended: State.TENANT_STATE_SUSPENDED,
  deleting: State.TENANT_STATE_DELETING,
};

export const tenantViewOf = (t: tenancy.Tenant): TenantView => ({
  tenantId: t.tenantId,
  name: t.name,
  tier: t.tier === Tier.TENANT_TIER_ISOLATED ? 'isolated' : 'standard',
  // A tenancy older than states knows only active tenants.
  state: STATES[t.state] ?? 'active',
  createdAt: iso(t.createdAtMs),
  stateChangedAt: iso(t.stateChangedAtMs || t.createdAtMs),
});

export function apiKeyViewOf(k: tenancy.ApiKey, now = Date.now()): ApiKeyView {
  const state = k.revokedAtMs === 0 ? 'active' : k.revokedAtMs > now ? 'expiring' : 'revoked';
  return { keyId: k.keyId, name: k.name, prefix: k.prefix, roles: [...k.roles], createdAt: iso(k.createdAtMs), revokedAt: k.revokedAtMs ? iso(k.revokedAtMs) : null, state };
}

const HEALTH: Record<string, InstanceView['health']> = {
  [Health.INSTANCE_HEALTH_HEALTHY]: 'healthy',
  [Health.INSTANCE_HEALTH_UNHEALTHY]: 'unhealthy',
  [Health.INSTANCE_HEALTH_DRAINING]: 'draining',
  [Health.INSTANCE_HEALTH_DEAD]: 'dead',
};

export const instanceViewOf = (i: registry.AgentInstance): InstanceView => ({
  instanceId: i.instanceId,
  agent: i.agent,
  agentVersion: i.agentVersion,
  host: i.host,
  pid: i.pid,
  health: HEALTH[i.health] ?? 'unspecified',
  inFlight: i.inFlight,
  drainRequested: i.drainRequested,
  registeredAt: iso(i.registeredAtMs),
  lastHeartbeatAt: iso(i.lastHeartbeatAtMs),
  assignedPartitions: i.assignedPartitions.map((p) => ({ topic: p.topic, partition: p.partition })),
});

export const agentViewOf = (a: registry.RegisteredAgent): AgentView => ({
  name: a.definition?.name ?? '',
  version: a.definition?.version ?? '',
  description: a.definition?.description ?? '',
  capabilities: [...(a.definition?.capabilities ?? [])],
  requires: [...(a.definition?.requires ?? [])],
  publishes: [...(a.definition?.publishes ?? [])],
  healthyInstances: a.healthyInstances,
  instances: a.instances.map(instanceViewOf),
});

export const budgetViewOf = (b: { limitUsd: number; spentUsd: number; reservedUsd: number } | undefined): BudgetView | null =>
  b ? { limitUsd: b.limitUsd, spentUsd: b.spentUsd, reservedUsd: b.reservedUsd, remainingUsd: Math.max(0, b.limitUsd - b.spentUsd - b.reservedUsd) } : null;
