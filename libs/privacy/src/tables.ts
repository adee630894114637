import type { PoolClient } from 'pg';
import type { Party } from './party';

/** A table that holds tenant data, as found in the catalogue (not a hand-kept list). */
export interface TenantTable {
  /** `schema.table`, quoted where needed. */
  name: string;
  columns: ReadonlySet<string>;
}

/**
 * Every table of the database with a `tenant_id` column, plus `tenancy.tenants` (keyed by `id`):
 * found in the catalogue, so a table a later migration adds is exported and erased without
 * anyone remembering to list it here. Not the audit trail (schema `audit`): it is append-only
 * by design (tamper evidence, retention of access records; its entries hold ids, actions and
 * decisions, never run content), so erasure leaves it and docs/compliance.md says so.
 */
export async function tenantTables(client: PoolClient): Promise<TenantTable[]> {
  const { rows } = await client.query<{ schema: string; table: string; columns: string[] }>(
    `SELECT c.table_schema AS schema, c.table_name AS table, array_agg(c.column_name::text) AS columns
       FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
      WHERE t.table_type = 'BASE TABLE' AND c.table_schema NOT IN ('pg_catalog', 'information_schema', 'audit')
      GROUP BY c.table_schema, c.table_name
     HAVING bool_or(c.column_name = 'tenant_id') OR (c.table_schema = 'tenancy' AND c.table_name = 'tenants')
      ORDER BY 1, 2`,
  );
  return rows.map((r) => ({ name: `${ident(r.schema)}.${ident(r.table)}`, columns: new Set(r.columns) }));
}

/** The rows of `table` that belong to `party`, as a WHERE clause and its parameters; null: none can. */
export function partyFilter(table: TenantTable, party: Party, runIds: readonly string[]): { where: string; params: unknown[] } | null {
  const tenantColumn = table.name === 'tenancy.tenants' ? 'id' : 'tenant_id';
  if (!party.subjectId) return { where: `${tenantColumn} = $1`, params: [party.tenantId] };
  // A subject's data is what hangs off its runs; tables with nothing run- or subject-shaped
  // (the tenant itself, API keys, budgets, quotas) are the tenant's, not the subject's.
  if (table.name === 'runs.runs') return { where: `tenant_id = $1 AND subject_id = $2`, params: [party.tenantId, party.subjectId] };
  if (table.columns.has('subject')) return { where: `tenant_id = $1 AND subject = $2`, params: [party.tenantId, party.subjectId] };
  if (table.columns.has('subject_id')) return { where: `tenant_id = $1 AND subject_id = $2`, params: [party.tenantId, party.subjectId] };
  if (table.columns.has('run_id')) return { where: `tenant_id = $1 AND run_id::text = ANY($2::text[])`, params: [party.tenantId, runIds] };
  // Agent memory: short-term is the run's (run_id, above); long-term, episodic and semantic memory
  // and the usage counters are the agent's across runs, so the tenant's (sealed under its key).
  // The router's idempotency records are keyed `<tenant>/<run>/<step>/<call>`.
  if (table.name === 'router.idempotency_records') return { where: `tenant_id = $1 AND idempotency_key LIKE ANY($2::text[])`, params: [party.tenantId, runIds.map((r) => `${party.tenantId}/${r}/%`)] };
  return null;
}

/** The subject's run ids (empty for a tenant-wide party: every row of the tenant is taken then). */
export async function subjectRuns(client: PoolClient, party: Party): Promise<string[]> {
  if (!party.subjectId) return [];
  const { rows } = await client.query<{ run_id: string }>(`SELECT run_id::text FROM runs.runs WHERE tenant_id = $1 AND subject_id = $2`, [party.tenantId, party.subjectId]);
  return rows.map((r) => r.run_id);
}

function ident(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}
