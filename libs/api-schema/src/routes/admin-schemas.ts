import { z } from 'zod';

/**
 * Shapes of the admin API (tenants, API keys, budgets, agents and instances), shared by the
 * REST routes (admin.ts) and the gateway's gRPC AdminService, which validates its messages
 * with the same schemas so both transports refuse the same input with the same field and rule.
 */

/** The roles a key can hold (docs/security.md "Admin roles"). */
export const KEY_ROLES = ['admin', 'operator', 'runner', 'reader'] as const;
export const TENANT_STATES = ['active', 'suspended', 'deleting', 'erased'] as const;
export const TENANT_TIERS = ['standard', 'isolated'] as const;
/** A rotation's longest grace period: a week. */
export const MAX_GRACE_PERIOD_SECONDS = 604_800;

const uuid = (what: string) => z.uuid({ error: `must be a UUID (the ${what}'s id)` });
const instant = z.string().describe('RFC 3339 timestamp');

export const tenantParams = z.object({ tenantId: uuid('tenant') });
export const apiKeyParams = z.object({ tenantId: uuid('tenant'), keyId: uuid('key') });
export const instanceParams = z.object({ instanceId: z.string().min(1, { error: 'must be a non-empty instance id' }).max(200, { error: 'must be at most 200 characters' }) });

export const tenantView = z.object({
  tenantId: z.string(),
  name: z.string(),
  tier: z.enum(TENANT_TIERS),
  state: z.enum(TENANT_STATES),
  createdAt: instant,
  stateChangedAt: instant,
});

export const apiKeyView = z.object({
  keyId: z.string(),
  name: z.string(),
  /** The key's first characters, to tell keys apart; never the key. */
  prefix: z.string(),
  roles: z.array(z.string()),
  createdAt: instant,
  /** null while valid; in the future while a rotation's grace period runs. */
  revokedAt: instant.nullable(),
  state: z.enum(['active', 'expiring', 'revoked']),
});

export const createTenantBody = z.strictObject({
  name: z.string().trim().min(1, { error: 'must be 1-200 characters' }).max(200, { error: 'must be 1-200 characters' }),
  tier: z.enum(TENANT_TIERS, { error: 'must be "standard" or "isolated"' }).default('standard'),
});
export const createTenantResponse = z.object({ tenant: tenantView, apiKey: z.string().describe('plaintext, shown once'), keyId: z.string() });

export const listTenantsQuery = z.strictObject({
  limit: z.coerce.number({ error: 'must be an integer from 1 to 200' }).int({ error: 'must be an integer from 1 to 200' }).min(1, { error: 'must be an integer from 1 to 200' }).max(200, { error: 'must be an integer from 1 to 200' }).default(50),
  cursor: z.string().max(200).optional(),
  state: z.enum(['active', 'suspended', 'deleting'], { error: 'must be active, suspended or deleting' }).optional(),
});
export const tenantPage = z.object({ tenants: z.array(tenantView), nextCursor: z.string().nullable() });
export const tenantResponse = z.object({ tenant: tenantView });
export const tenantChangeResponse = z.object({ tenant: tenantView, changed: z.boolean() });
export const tenantDeletion = z.object({
  tenant: tenantView,
  changed: z.boolean(),
  erasure: z.object({ requestedAt: instant.nullable(), erasedAt: instant.nullable() }),
});

export const createApiKeyBody = z.strictObject({
  name: z.string().trim().min(1, { error: 'must be 1-100 characters' }).max(100, { error: 'must be 1-100 characters' }),
  roles: z
    .array(z.enum(KEY_ROLES, { error: `must be one of ${KEY_ROLES.join(', ')}` }))
    .max(KEY_ROLES.length)
    .refine((r) => new Set(r).size === r.length, { error: 'must not repeat a role' })
    .default(['runner']),
});
export const issuedKeyResponse = z.object({ apiKey: z.string().describe('plaintext, shown once'), key: apiKeyView });
export const listApiKeysQuery = z.strictObject({ includeRevoked: z.enum(['true', 'false'], { error: 'must be true or false' }).default('false') });
export const apiKeyList = z.object({ keys: z.array(apiKeyView) });
export const apiKeyResponse = z.object({ key: apiKeyView });
export const rotateApiKeyBody = z.strictObject({
  gracePeriodSeconds: z
    .number({ error: `must be an integer from 0 to ${MAX_GRACE_PERIOD_SECONDS}` })
    .int({ error: `must be an integer from 0 to ${MAX_GRACE_PERIOD_SECONDS}` })
    .min(0, { error: `must be an integer from 0 to ${MAX_GRACE_PERIOD_SECONDS}` })
    .max(MAX_GRACE_PERIOD_SECONDS, { error: `must be an integer from 0 to ${MAX_GRACE_PERIOD_SECONDS}` })
    .default(0),
});
export const rotatedKeyResponse = issuedKeyResponse.extend({ replaced: apiKeyView });

export const budgetView = z.object({ limitUsd: z.number(), spentUsd: z.number(), reservedUsd: z.number(), remainingUsd: z.number() });
export const budgetResponse = z.object({ tenantId: z.string(), budget: budgetView.nullable() });
export const setBudgetBody = z.strictObject({
  limitUsd: z.number({ error: 'must be a number of USD, at least 0' }).min(0, { error: 'must be a number of USD, at least 0' }).max(1e12, { error: 'must be at most 1e12' }),
  resetSpent: z.boolean({ error: 'must be true or false' }).default(false),
});

export const agentsQuery = z.strictObject({ capability: z.string().min(1).max(100).optional() });
export const instanceView = z.object({
  instanceId: z.string(),
  agent: z.string(),
  agentVersion: z.string(),
  host: z.string(),
  pid: z.number(),
  health: z.enum(['healthy', 'unhealthy', 'draining', 'dead', 'unspecified']),
  inFlight: z.number(),
  drainRequested: z.boolean(),
  registeredAt: instant,
  lastHeartbeatAt: instant,
  assignedPartitions: z.array(z.object({ topic: z.string(), partition: z.number() })),
});
export const agentView = z.object({
  name: z.string(),
  version: z.string(),
  description: z.string(),
  capabilities: z.array(z.string()),
  requires: z.array(z.string()),
  publishes: z.array(z.string()),
  healthyInstances: z.number(),
  instances: z.array(instanceView),
});
export const agentList = z.object({ agents: z.array(agentView) });
export const instanceResponse = z.object({ instance: instanceView });
