import type { DataSource } from 'typeorm';
import type { PoolClient } from 'pg';
import { inTenantTransaction, poolOf } from '@weaver/persistence';
import type { MemoryKind, MemoryUsage } from './memory-writes';

/** The setting under which the sweep sees (only) expired memory rows of every tenant. */
export const MEMORY_SWEEP_SETTING = 'weaver.memory_sweep';

const EXPIRING = [
  { kind: 'short_term', table: 'runs.memory_short_term', key: 'run_id, agent, key' },
  { kind: 'episodic', table: 'runs.memory_episodic', key: 'id' },
] as const satisfies ReadonlyArray<{ kind: MemoryKind; table: string; key: string }>;

export interface SweepResult {
  /** Rows deleted per (tenant, agent, kind). */
  expired: Array<{ tenantId: string; agent: string; kind: MemoryKind; items: number }>;
  /** Usage of the swept scopes afterwards (for the gauges). */
  usage: Array<MemoryUsage & { tenantId: string }>;
}

/**
 * Deletes expired short-term and episodic rows, bounded: at most `limit` rows per kind and
 * tenant per call. Reads already skip expired rows; the sweep only reclaims their space.
 * Deletes are idempotent (a row goes once, the usage counter falls by what was deleted), so
 * replicas may sweep at the same time. Per tenant it locks the usage rows first, in the same
 * order as writers, so a sweep and a step cannot deadlock.
 */
export class MemorySweeper {
  constructor(
    private readonly ds: DataSource,
    private readonly opts: { limit?: number; maxTenants?: number } = {},
  ) {}

  async sweepOnce(): Promise<SweepResult> {
    const pool = poolOf(this.ds);
    const limit = this.opts.limit ?? 1000;
    const tenants = await this.expiredTenants(pool, this.opts.maxTenants ?? 100);
    const result: SweepResult = { expired: [], usage: [] };
    for (const tenantId of tenants) {
      await inTenantTransaction(pool, tenantId, async (c) => {
        const scopes = await expiredScopes(c, tenantId);
        if (!scopes.length) return;
        await c.query(
          `SELECT 1 FROM (SELECT agent, kind FROM runs.memory_usage WHERE tenant_id = $1 AND (agent, kind) IN (SELECT * FROM unnest($2::text[], $3::text[])) ORDER BY agent, kind FOR UPDATE) l`,
          [tenantId, scopes.map((s) => s.agent), scopes.map((s) => s.kind)],
        );
        const gone: Array<{ agent: string; kind: MemoryKind; items: number; bytes: number }> = [];
        for (const { kind, table, key } of EXPIRING) {
          const { rows } = await c.query<{ agent: string; items: number; bytes: string }>(
            `WITH g AS (DELETE FROM ${table} WHERE (${key}) IN (SELECT ${key} FROM ${table} WHERE tenant_id = $1 AND expires_at <= now() LIMIT $2) AND tenant_id = $1 RETURNING agent, bytes)
             SELECT agent, count(*)::int AS items, sum(bytes)::bigint AS bytes FROM g GROUP BY agent`,
            [tenantId, limit],
          );
          for (const r of rows) gone.push({ agent: r.agent, kind, items: r.items, bytes: Number(r.bytes) });
        }
        if (!gone.length) return;
        const { rows } = await c.query<{ agent: string; kind: MemoryKind; items: string; bytes: string }>(
          `UPDATE runs.memory_usage u SET items = GREATEST(0, u.items - d.items), bytes = GREATEST(0, u.bytes - d.bytes)
             FROM unnest($2::text[], $3::text[], $4::bigint[], $5::bigint[]) AS d(agent, kind, items, bytes)
            WHERE u.tenant_id = $1 AND u.agent = d.agent AND u.kind = d.kind RETURNING u.agent, u.kind, u.items, u.bytes`,
          [tenantId, gone.map((g) => g.agent), gone.map((g) => g.kind), gone.map((g) => g.items), gone.map((g) => g.bytes)],
        );
        result.expired.push(...gone.map((g) => ({ tenantId, agent: g.agent, kind: g.kind, items: g.items })));
        result.usage.push(...rows.map((r) => ({ tenantId, agent: r.agent, kind: r.kind, items: Number(r.items), bytes: Number(r.bytes) })));
      });
    }
    return result;
  }

  /** Tenants with expired rows, seen through the sweep policy (which shows expired rows only). */
  private async expiredTenants(pool: ReturnType<typeof poolOf>, max: number): Promise<string[]> {
    const client = await pool.connect();
    try {
      await client.query(`BEGIN; SELECT set_config('${MEMORY_SWEEP_SETTING}', 'on', true)`);
      const { rows } = await client.query<{ tenant_id: string }>(
        `SELECT DISTINCT tenant_id FROM (
           (SELECT tenant_id FROM runs.memory_short_term WHERE expires_at <= now() LIMIT $1)
           UNION ALL (SELECT tenant_id FROM runs.memory_episodic WHERE expires_at <= now() LIMIT $1)) e LIMIT $1`,
        [max],
      );
      await client.query('COMMIT');
      return rows.map((r) => r.tenant_id);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

async function expiredScopes(c: PoolClient, tenantId: string): Promise<Array<{ agent: string; kind: MemoryKind }>> {
  const { rows } = await c.query<{ agent: string; kind: MemoryKind }>(
    `SELECT DISTINCT agent, 'short_term' AS kind FROM runs.memory_short_term WHERE tenant_id = $1 AND expires_at <= now()
     UNION SELECT DISTINCT agent, 'episodic' FROM runs.memory_episodic WHERE tenant_id = $1 AND expires_at <= now()`,
    [tenantId],
  );
  return rows;
}
