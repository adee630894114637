import type { RoleGrant, TablePrivilege } from '@weaver/persistence';

/** The services that connect to the database, each as its own role. */
export const DATABASE_SERVICES = ['tenancy', 'registry', 'publisher', 'router', 'agent-runner', 'gateway'] as const;
export type DatabaseService = (typeof DATABASE_SERVICES)[number];

/** `agent-runner` → `weaver_agent_runner`. */
export function roleOf(service: DatabaseService): string {
  return `weaver_${service.replace(/-/g, '_')}`;
}

const t = (table: string, ...privileges: TablePrivilege[]): RoleGrant => ({ table, privileges });

/**
 * What each service's role may do, derived from the statements its code runs (least privilege:
 * no DDL, no TRUNCATE; a privilege appears only where a query needs it — e.g. UPDATE for
 * `ON CONFLICT DO UPDATE` and `SELECT ... FOR UPDATE`, none for `ON CONFLICT DO NOTHING`).
 * Row-level security still decides which rows. A new query that needs more fails with
 * "permission denied" in the service's tests: extend the line here.
 */
export const SERVICE_GRANTS: Record<DatabaseService, readonly RoleGrant[]> = {
  // TenantDirectory: creates tenants and keys, resolves keys (SELECT), revokes them (UPDATE revoked_at).
  // The audit chainer (in tenancy) appends entries and checkpoints and reads them back: append-only
  // rights, INSERT and SELECT, nothing else (its chain lock is an advisory lock, not FOR UPDATE).
  tenancy: [
    // UPDATE: served_by/serving_epoch after a failover (DirectoryReplica); region_directory*: the replicated directory and adoption (docs/regions.md).
    t('tenancy.tenants', 'SELECT', 'INSERT', 'UPDATE'),
    t('tenancy.region_directory', 'SELECT', 'INSERT', 'UPDATE', 'DELETE'),
    t('tenancy.region_directory_keys', 'SELECT', 'INSERT', 'DELETE'),
    t('tenancy.api_keys', 'SELECT', 'INSERT', 'UPDATE'),
    t('tenancy.trigger_keys', 'SELECT', 'INSERT', 'UPDATE'),
    t('tenancy.tenant_quotas', 'SELECT', 'INSERT', 'UPDATE'),
    // Deletion requests (admin API); the erasure step (owner role) completes them.
    t('tenancy.tenant_erasures', 'SELECT', 'INSERT'),
    t('audit.entries', 'SELECT', 'INSERT'),
    t('audit.checkpoints', 'SELECT', 'INSERT'),
    // Peers' checkpoints mirrored by MirrorMaker 2 (RemoteCheckpointStore: INSERT ... ON CONFLICT DO NOTHING, then a read on conflict).
    t('audit.remote_checkpoints', 'SELECT', 'INSERT'),
    // PolicyStore (PolicyService): policies upserted and deleted, the version counter upserted (bumped) in the same transaction.
    t('policy.tenant_policies', 'SELECT', 'INSERT', 'UPDATE', 'DELETE'),
    t('policy.tenant_versions', 'SELECT', 'INSERT', 'UPDATE'),
  ],
  // AgentCatalog (new versions move is_latest), InstanceDirectory (heartbeats, health, FOR UPDATE), ToolCatalog (a runner's report replaces its rows).
  registry: [t('registry.agent_definitions', 'SELECT', 'INSERT', 'UPDATE'), t('registry.agent_instances', 'SELECT', 'INSERT', 'UPDATE'), t('registry.mcp_servers', 'SELECT', 'INSERT', 'DELETE')],
  // ResultPublisher: write-once results (INSERT ... ON CONFLICT DO NOTHING) and reads; the
  // per-tenant stored-bytes counter (upsert in the put's transaction).
  publisher: [t('publisher.results', 'SELECT', 'INSERT'), t('publisher.tenant_usage', 'SELECT', 'INSERT', 'UPDATE')],
  // Billing (router.billing_batch runs as the caller: SECURITY INVOKER), budgets (upsert), usage reads.
  router: [
    t('router.usage_ledger', 'SELECT', 'INSERT'),
    { sequence: 'router.usage_ledger_id_seq' },
    t('router.tenant_budgets', 'SELECT', 'INSERT', 'UPDATE'),
    t('router.idempotency_records', 'SELECT', 'INSERT', 'UPDATE', 'DELETE'),
    { function: 'router.billing_batch' },
    // PII policies: read per tenant (cached), upserted by SetPiiPolicy (ON CONFLICT DO UPDATE).
    t('router.pii_policies', 'SELECT', 'INSERT', 'UPDATE'),
  ],
  // Dispatcher and steps: runs (create, transition, FOR UPDATE), write-once steps, joins, ticks.
  // Agent memory: key-value upserts and deletes, episodes and facts inserted (ids from their
  // sequences); evictions and the expiry sweep delete (UPDATE: their candidates are taken
  // FOR UPDATE SKIP LOCKED, which needs it; no query updates those rows); usage counters upserted.
  'agent-runner': [
    t('runs.runs', 'SELECT', 'INSERT', 'UPDATE'),
    t('runs.steps', 'SELECT', 'INSERT'),
    t('runs.joins', 'SELECT', 'INSERT', 'UPDATE'),
    t('runs.schedule_ticks', 'SELECT', 'INSERT', 'UPDATE'),
    t('runs.memory_short_term', 'SELECT', 'INSERT', 'UPDATE', 'DELETE'),
    t('runs.memory_long_term', 'SELECT', 'INSERT', 'UPDATE', 'DELETE'),
    t('runs.memory_episodic', 'SELECT', 'INSERT', 'UPDATE', 'DELETE'),
    { sequence: 'runs.memory_episodic_id_seq' },
    t('runs.memory_semantic', 'SELECT', 'INSERT', 'UPDATE', 'DELETE'),
    { sequence: 'runs.memory_semantic_id_seq' },
    t('runs.memory_usage', 'SELECT', 'INSERT', 'UPDATE'),
    // MCP tool calls: recorded per step (upsert: a replay that differs replaces its record), read back on redelivery; admin grants read.
    t('tools.tool_calls', 'SELECT', 'INSERT', 'UPDATE'),
    t('tools.tool_grants', 'SELECT'),
  ],
  // Intake records run + outbox entry; reads runs and their steps; the outbox moves through its states.
  // The admin tool-grants route replaces an agent's grants (DELETE + INSERT) and lists them.
  // Run admin (issue 12): cancel and retry move runs (UPDATE); dead-letter replays and discards are claimed once each.
  gateway: [
    t('runs.runs', 'SELECT', 'INSERT', 'UPDATE'),
    t('runs.steps', 'SELECT'),
    t('runs.trigger_outbox', 'SELECT', 'INSERT', 'UPDATE', 'DELETE'),
    t('tools.tool_grants', 'SELECT', 'INSERT', 'DELETE'),
    t('runs.dead_letter_dispositions', 'SELECT', 'INSERT', 'UPDATE'),
  ],
};

/**
 * Schemas every service uses alike, granted once the schema is in DATABASE_SCHEMAS (@weaver/migrate; and not
 * before): `keys` holds the per-tenant wrapped data keys — every service reads them and adds
 * one when a tenant has none yet; only tenancy rotates and destroys them (erasure).
 */
export const SHARED_SCHEMA_GRANTS: Record<string, { every: readonly TablePrivilege[]; only?: Partial<Record<DatabaseService, readonly TablePrivilege[]>> }> = {
  keys: { every: ['SELECT', 'INSERT'], only: { tenancy: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'] } },
};

/** Roles of earlier versions, whose rights the migrate step drops (`weaver_app` had every schema). */
export const RETIRED_ROLES = ['weaver_app'] as const;

const schemaOf = (g: RoleGrant): string => ('table' in g ? g.table : 'sequence' in g ? g.sequence : g.function).split('.')[0] ?? '';

/** A service's grants in a database holding `schemas`: its own on those schemas, plus the shared schemas present. */
export function grantsOf(service: DatabaseService, schemas: readonly string[]): RoleGrant[] {
  const shared = Object.entries(SHARED_SCHEMA_GRANTS)
    .filter(([schema]) => schemas.includes(schema))
    .flatMap(([schema, g]) => [t(`${schema}.*`, ...(g.only?.[service] ?? g.every)), { sequence: `${schema}.*` }]);
  return [...SERVICE_GRANTS[service].filter((g) => schemas.includes(schemaOf(g))), ...shared];
}
