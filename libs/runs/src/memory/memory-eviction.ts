import type { PoolClient } from 'pg';
import type { MemoryCaps, MemoryKind } from './memory-writes';

/**
 * The eviction policy (docs/memory.md has the table), applied in the writing step's
 * transaction, so a step's memory never commits over its limits:
 *
 * | kind       | limit            | evicted first               |
 * |------------|------------------|-----------------------------|
 * | short_term | items per run    | least recently written      |
 * | long_term  | bytes per agent  | least recently written      |
 * | episodic   | items per agent  | oldest recorded (lowest id) |
 * | semantic   | bytes per agent  | oldest remembered (lowest id) |
 *
 * Expiry (short-term and episodic TTL) is separate: expired rows are never read and the sweep
 * (`MemorySweeper`) deletes them.
 *
 * Candidates are taken `FOR UPDATE SKIP LOCKED`: rows another transaction is writing (recent
 * ones, so not the least recently written anyway) are passed over instead of waited for, so an
 * evicting batch, which holds its usage rows, never waits on a row lock (no deadlock).
 */
export interface Eviction {
  agent: string;
  kind: MemoryKind;
  items: number;
  bytes: number;
  /** Row ids evicted (episodic, semantic): the runner drops them from its loaded vector index. */
  ids: bigint[];
}

/** Rows looked at per eviction statement; a larger excess takes several (bounded work per statement). */
const EVICT_CHUNK = 1000;

/** Keeps the `cap` most recently written entries of each (run, agent) that this batch wrote. */
export async function evictShortTerm(client: PoolClient, tenantId: string, scopes: ReadonlyArray<{ runId: string; agent: string; cap: number }>): Promise<Eviction[]> {
  const { rows } = await client.query<{ agent: string; items: number; bytes: string }>(
    `WITH s AS (SELECT DISTINCT ON (run_id, agent) * FROM unnest($2::uuid[], $3::text[], $4::int[]) AS s(run_id, agent, cap)),
     cand AS (SELECT m.run_id, m.agent, m.key, m.written_at FROM runs.memory_short_term m JOIN s ON m.tenant_id = $1 AND m.run_id = s.run_id AND m.agent = s.agent FOR UPDATE OF m SKIP LOCKED),
     ranked AS (SELECT c.run_id, c.agent, c.key, s.cap,
                       row_number() OVER (PARTITION BY c.run_id, c.agent ORDER BY c.written_at DESC, c.key DESC) AS rn
                  FROM cand c JOIN s ON c.run_id = s.run_id AND c.agent = s.agent),
     gone AS (DELETE FROM runs.memory_short_term m USING ranked r
               WHERE r.rn > r.cap AND m.tenant_id = $1 AND m.run_id = r.run_id AND m.agent = r.agent AND m.key = r.key
               RETURNING m.agent, m.bytes)
     SELECT agent, count(*)::int AS items, sum(bytes)::bigint AS bytes FROM gone GROUP BY agent`,
    [tenantId, scopes.map((s) => s.runId), scopes.map((s) => s.agent), scopes.map((s) => s.cap)],
  );
  return rows.map((r) => ({ agent: r.agent, kind: 'short_term', items: r.items, bytes: Number(r.bytes), ids: [] }));
}

/** Evicts from one agent's long-term, episodic or semantic memory until `usage` is within its cap; null when it already is. */
export async function evictOverCap(client: PoolClient, tenantId: string, agent: string, kind: Exclude<MemoryKind, 'short_term'>, caps: MemoryCaps, usage: { items: number; bytes: number }): Promise<Eviction | null> {
  const total: Eviction = { agent, kind, items: 0, bytes: 0, ids: [] };
  const excess = (): { items: number; bytes: number } =>
    kind === 'episodic'
      ? { items: Math.max(0, usage.items - total.items - caps.episodicItems), bytes: 0 }
      : { items: 0, bytes: Math.max(0, usage.bytes - total.bytes - (kind === 'long_term' ? caps.longTermBytes : caps.semanticBytes)) };
  for (let x = excess(); x.items > 0 || x.bytes > 0; x = excess()) {
    const gone = await evictChunk(client, tenantId, agent, kind, x);
    if (!gone.length) break; // nothing evictable now (all locked, or a concurrent batch evicted them): the next write retries
    for (const g of gone) {
      total.items++;
      total.bytes += g.bytes;
      if (g.id) total.ids.push(BigInt(g.id));
    }
  }
  return total.items ? total : null;
}

/** One statement: the oldest rows whose running total covers the excess (at most EVICT_CHUNK). */
async function evictChunk(client: PoolClient, tenantId: string, agent: string, kind: Exclude<MemoryKind, 'short_term'>, x: { items: number; bytes: number }): Promise<Array<{ id?: string; bytes: number }>> {
  const limit = Math.min(EVICT_CHUNK, x.items || EVICT_CHUNK);
  if (kind === 'long_term') {
    const { rows } = await client.query<{ bytes: number }>(
      `WITH c AS (SELECT key, bytes, sum(bytes) OVER (ORDER BY written_at, key) AS running
                    FROM (SELECT key, bytes, written_at FROM runs.memory_long_term WHERE tenant_id = $1 AND agent = $2 ORDER BY written_at, key LIMIT $4 FOR UPDATE SKIP LOCKED) t)
       DELETE FROM runs.memory_long_term m USING c WHERE m.tenant_id = $1 AND m.agent = $2 AND m.key = c.key AND c.running - c.bytes < $3
       RETURNING m.bytes`,
      [tenantId, agent, x.bytes, limit],
    );
    return rows;
  }
  const table = kind === 'episodic' ? 'runs.memory_episodic' : 'runs.memory_semantic';
  // Items (episodic): the `limit` oldest. Bytes (semantic): the oldest whose running total covers the excess.
  const cover = kind === 'episodic' ? 'true' : 'c.running - c.bytes < $3';
  const { rows } = await client.query<{ id: string; bytes: number }>(
    `WITH c AS (SELECT id, bytes, sum(bytes) OVER (ORDER BY id) AS running
                  FROM (SELECT id, bytes FROM ${table} WHERE tenant_id = $1 AND agent = $2 ORDER BY id LIMIT $4 FOR UPDATE SKIP LOCKED) t)
     DELETE FROM ${table} m USING c WHERE m.id = c.id AND ${cover} AND $3::bigint >= 0
     RETURNING m.id, m.bytes`,
    [tenantId, agent, x.bytes, limit],
  );
  return rows;
}
