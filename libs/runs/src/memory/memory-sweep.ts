import type { DataSource } from 'typeorm';
import { inTenantTransaction, poolOf } from '@weaver/persistence';
import { USAGE_SHARDS, type MemoryKind, type MemoryUsage } from './memory-writes';

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
 * replicas may sweep at the same time; rows locked by a writer are skipped, not waited for.
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
        const gone: Array<{ agent: string; kind: MemoryKind; items: number; bytes: number }> = [];
        for (const { kind, table, key } of EXPIRING) {
          // SKIP LOCKED: a row a step is rewriting right now is left for the next sweep (never waited on).
          const { rows } = await c.query<{ agent: string; items: number; bytes: string }>(
            `WITH g AS (DELETE FROM ${table} WHERE (${key}) IN (SELECT ${key} FROM ${table} WHERE tenant_id = $1 AND expires_at <= now() LIMIT $2 FOR UPDATE SKIP LOCKED) AND tenant_id = $1 RETURNING agent, bytes)
             SELECT agent, count(*)::int AS items, sum(bytes)::bigint AS bytes FROM g GROUP BY agent`,
            [tenantId, limit],
          );
          for (const r of rows) gone.push({ agent: r.agent, kind, items: r.items, bytes: Number(r.bytes) });
        }
        if (!gone.length) return;
        // Off one shard (a scope's use is the sum of its shards). The totals read in the same
        // statement are from before it (its snapshot), so the deleted amounts come off them here.
        const { rows } = await c.query<{ agent: string; kind: MemoryKind; items: string; bytes: string }>(
          `WITH d AS (SELECT * FROM unnest($3::text[], $4::text[], $5::bigint[], $6::bigint[]) AS d(agent, kind, items, bytes) ORDER BY agent, kind),
           upd AS (INSERT INTO runs.memory_usage AS u (tenant_id, agent, kind, shard, items, bytes) SELECT $1, agent, kind, $2, -items, -bytes FROM d
                   ON CONFLICT (tenant_id, agent, kind, shard) DO UPDATE SET items = u.items + EXCLUDED.items, bytes = u.bytes + EXCLUDED.bytes)
           SELECT u.agent, u.kind, sum(u.items) AS items, sum(u.bytes) AS bytes
             FROM runs.memory_usage u JOIN d ON u.tenant_id = $1 AND u.agent = d.agent AND u.kind = d.kind GROUP BY u.agent, u.kind`,
          [tenantId, Math.floor(Math.random() * USAGE_SHARDS), gone.map((g) => g.agent), gone.map((g) => g.kind), gone.map((g) => g.items), gone.map((g) => g.bytes)],
        );
        const deleted = (agent: string, kind: MemoryKind) => gone.find((g) => g.agent === agent && g.kind === kind) ?? { items: 0, bytes: 0 };
        result.expired.push(...gone.map((g) => ({ tenantId, agent: g.agent, kind: g.kind, items: g.items })));
        result.usage.push(...rows.map((r) => ({ tenantId, agent: r.agent, kind: r.kind, items: Number(r.items) - deleted(r.agent, r.kind).items, bytes: Number(r.bytes) - deleted(r.agent, r.kind).bytes })));
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
