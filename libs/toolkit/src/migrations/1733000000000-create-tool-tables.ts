import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '@weaver/persistence';

/**
 * `tools.tool_calls`: every MCP tool call of every step (tenant, run, step, call number, tool,
 * outcome, duration) — the audit record, and the exactly-once record a redelivered step's call
 * is answered from. The result is sealed (it is tool output about the tenant's data); the
 * arguments are kept only as a hash (to check a replay is the same call).
 * `tools.tool_grants`: tools an admin granted to an agent of a tenant, besides its definition.
 */
export class CreateToolTables1733000000000 implements MigrationInterface {
  name = 'CreateToolTables1733000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tools.tool_calls (
        tenant_id uuid NOT NULL,
        run_id uuid NOT NULL,
        step text NOT NULL,
        seq integer NOT NULL,
        tool text NOT NULL,
        args_hash text NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('ok', 'error', 'denied', 'timeout', 'unavailable', 'breaker_open', 'invalid')),
        duration_ms integer NOT NULL,
        result jsonb,
        error text,
        agent text NOT NULL,
        called_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, run_id, step, seq)
      )`);
    await enableTenantRls(q, 'tools.tool_calls');
    await q.query(`
      CREATE TABLE tools.tool_grants (
        tenant_id uuid NOT NULL,
        agent text NOT NULL,
        grant_pattern text NOT NULL,
        granted_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, agent, grant_pattern)
      )`);
    await enableTenantRls(q, 'tools.tool_grants');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE tools.tool_grants');
    await q.query('DROP TABLE tools.tool_calls');
  }
}
