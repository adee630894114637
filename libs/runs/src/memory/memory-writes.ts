import type { PoolClient } from 'pg';
import { evictOverCap, evictShortTerm, type Eviction } from './memory-eviction';

/** The four kinds, as `runs.memory_usage.kind` and the metrics' `kind` label name them. */
export const MEMORY_KINDS = ['short_term', 'long_term', 'episodic', 'semantic'] as const;
export type MemoryKind = (typeof MEMORY_KINDS)[number];

/** The limits a step's writes are held to (from the agent's MemorySpec; sizes in bytes). */
export interface MemoryCaps {
  shortTermItems: number;
  longTermBytes: number;
  episodicItems: number;
  semanticBytes: number;
}

/**
 * What one step wrote to memory, already sealed by the runner (values are opaque jsonb/bytea
 * here). Key-value entries are the step's final state per key: a value (JSON null included), or
 * `deleted`.
 * `bytes` is the plaintext size the limits count (key + JSON value; text + data/metadata +
 * 4 bytes per embedding dimension).
 */
export interface StepMemoryWrites {
  agent: string;
  caps: MemoryCaps;
  shortTerm: Array<{ key: string; value: unknown; deleted?: boolean; bytes: number; expiresAt: Date }>;
  longTerm: Array<{ key: string; value: unknown; deleted?: boolean; bytes: number }>;
  episodes: Array<{ at: Date; text: unknown; data: unknown; embedding: Buffer; dims: number; bytes: number; expiresAt: Date }>;
  facts: Array<{ text: unknown; metadata: unknown; embedding: Buffer; dims: number; bytes: number }>;
}

export interface MemoryUsage {
  agent: string;
  kind: MemoryKind;
  items: number;
  bytes: number;
}

/** What committed with a step: the new rows' ids (in write order), usage after the batch, evictions. */
export interface MemoryCommit {
  episodeIds: bigint[];
  factIds: bigint[];
  /** Usage of the scopes this batch touched, after it (the same for every step of the batch). */
  usage: MemoryUsage[];
  /** Evictions of this batch, reported with the first step of each scope only (counters add them up). */
  evictions: Eviction[];
}

export const hasMemoryWrites = (w: StepMemoryWrites | undefined): w is StepMemoryWrites =>
  !!w && w.shortTerm.length + w.longTerm.length + w.episodes.length + w.facts.length > 0;

interface Delta {
  items: number;
  bytes: number;
}
const scopeKey = (agent: string, kind: MemoryKind): string => `${agent}\u0000${kind}`;

/**
 * Applies the memory writes of the first-written steps of one batch, inside the batch's
 * transaction (so they commit with the step records, or not at all). Per batch, whatever its
 * number of steps: one statement locking the touched usage rows, one per kind written, one
 * for short-term eviction when short-term was written, one usage update — plus one per scope
 * over its byte/item cap (rare: only when a write crosses the limit).
 */
export async function executeMemoryWrites(client: PoolClient, tenantId: string, sets: ReadonlyArray<{ runId: string; writes: StepMemoryWrites }>): Promise<MemoryCommit[]> {
  const touched = new Map<string, { agent: string; kind: MemoryKind; caps: MemoryCaps }>();
  for (const { writes: w } of sets) {
    const kinds: Array<[MemoryKind, number]> = [['short_term', w.shortTerm.length], ['long_term', w.longTerm.length], ['episodic', w.episodes.length], ['semantic', w.facts.length]];
    for (const [kind, n] of kinds) if (n && !touched.has(scopeKey(w.agent, kind))) touched.set(scopeKey(w.agent, kind), { agent: w.agent, kind, caps: w.caps });
  }
  const before = await lockUsage(client, tenantId, [...touched.values()]);
  const deltas = new Map<string, Delta>();
  const add = (agent: string, kind: MemoryKind, d: Delta): void => {
    const k = scopeKey(agent, kind);
    const cur = deltas.get(k) ?? { items: 0, bytes: 0 };
    deltas.set(k, { items: cur.items + d.items, bytes: cur.bytes + d.bytes });
  };
  for (const [agent, d] of await upsertShortTerm(client, tenantId, sets)) add(agent, 'short_term', d);
  for (const [agent, d] of await upsertLongTerm(client, tenantId, sets)) add(agent, 'long_term', d);
  const episodeIds = await insertEpisodes(client, tenantId, sets, add);
  const factIds = await insertFacts(client, tenantId, sets, add);

  const evictions: Eviction[] = [];
  const shortScopes = sets.filter((s) => s.writes.shortTerm.length).map((s) => ({ runId: s.runId, agent: s.writes.agent, cap: s.writes.caps.shortTermItems }));
  if (shortScopes.length) evictions.push(...(await evictShortTerm(client, tenantId, shortScopes)));
  for (const scope of touched.values()) {
    if (scope.kind === 'short_term') continue;
    const now = before.get(scopeKey(scope.agent, scope.kind)) ?? { items: 0, bytes: 0 };
    const d = deltas.get(scopeKey(scope.agent, scope.kind)) ?? { items: 0, bytes: 0 };
    const e = await evictOverCap(client, tenantId, scope.agent, scope.kind, scope.caps, { items: now.items + d.items, bytes: now.bytes + d.bytes });
    if (e) evictions.push(e);
  }
  for (const e of evictions) add(e.agent, e.kind, { items: -e.items, bytes: -e.bytes });
  const usage = await updateUsage(client, tenantId, [...touched.values()].map((s) => ({ ...s, delta: deltas.get(scopeKey(s.agent, s.kind)) ?? { items: 0, bytes: 0 } })), evictions);

  // Ids back to their steps in write order; evictions to the first step of their scope.
  let e = 0;
  let f = 0;
  const reported = new Set<string>();
  return sets.map(({ writes: w }) => {
    const mine = evictions.filter((x) => x.agent === w.agent && !reported.has(scopeKey(x.agent, x.kind)));
    for (const x of mine) reported.add(scopeKey(x.agent, x.kind));
    const out = { episodeIds: episodeIds.slice(e, e + w.episodes.length), factIds: factIds.slice(f, f + w.facts.length), usage: usage.filter((u) => u.agent === w.agent), evictions: mine };
    e += w.episodes.length;
    f += w.facts.length;
    return out;
  });
}

/**
 * Creates or locks the usage row of every touched (agent, kind), in one order (no deadlock
 * between batches), and returns the totals before this batch. Holding these locks to commit
 * is what makes the limits exact and row ids grow in commit order per scope.
 */
async function lockUsage(client: PoolClient, tenantId: string, scopes: ReadonlyArray<{ agent: string; kind: MemoryKind }>): Promise<Map<string, Delta>> {
  const sorted = [...scopes].sort((a, b) => (a.agent === b.agent ? a.kind.localeCompare(b.kind) : a.agent.localeCompare(b.agent)));
  const { rows } = await client.query<{ agent: string; kind: MemoryKind; items: string; bytes: string }>(
    `INSERT INTO runs.memory_usage (tenant_id, agent, kind)
     SELECT $1, s.agent, s.kind FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS s(agent, kind, n) ORDER BY s.n
     ON CONFLICT (tenant_id, agent, kind) DO UPDATE SET items = runs.memory_usage.items
     RETURNING agent, kind, items, bytes`,
    [tenantId, sorted.map((s) => s.agent), sorted.map((s) => s.kind)],
  );
  return new Map(rows.map((r) => [scopeKey(r.agent, r.kind), { items: Number(r.items), bytes: Number(r.bytes) }]));
}

/** The last write per key wins across the batch (one statement cannot touch a row twice). */
function lastPerKey<T extends { key: string }>(entries: Array<{ scope: string; e: T }>): Array<{ scope: string; e: T }> {
  const out = new Map<string, { scope: string; e: T }>();
  for (const x of entries) {
    const k = `${x.scope}\u0000${x.e.key}`;
    out.delete(k);
    out.set(k, x);
  }
  return [...out.values()];
}

type Deltas = Array<[string, Delta]>;

const DELTA_TAIL = `SELECT agent, sum(items)::int AS items, sum(bytes)::bigint AS bytes
  FROM (SELECT agent, 1 AS items, bytes FROM up UNION ALL SELECT agent, -1, -bytes FROM old) d GROUP BY agent`;

/** Upserts and deletes short-term entries (rows written at clock time, in write order); returns the change per agent. */
async function upsertShortTerm(client: PoolClient, tenantId: string, sets: ReadonlyArray<{ runId: string; writes: StepMemoryWrites }>): Promise<Deltas> {
  const rows = lastPerKey(sets.flatMap((s) => s.writes.shortTerm.map((e) => ({ scope: `${s.runId}\u0000${s.writes.agent}`, e: { ...e, runId: s.runId, agent: s.writes.agent } }))));
  if (!rows.length) return [];
  const { rows: out } = await client.query<{ agent: string; items: number; bytes: string }>(
    `WITH v AS (SELECT * FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::int[], $7::timestamptz[]) WITH ORDINALITY AS v(run_id, agent, key, value, bytes, expires_at, n)),
     old AS (SELECT m.agent, m.bytes FROM runs.memory_short_term m JOIN v ON m.tenant_id = $1 AND m.run_id = v.run_id AND m.agent = v.agent AND m.key = v.key),
     del AS (DELETE FROM runs.memory_short_term m USING v WHERE v.value IS NULL AND m.tenant_id = $1 AND m.run_id = v.run_id AND m.agent = v.agent AND m.key = v.key),
     up AS (INSERT INTO runs.memory_short_term (tenant_id, run_id, agent, key, value, bytes, written_at, expires_at)
            SELECT $1, run_id, agent, key, value::jsonb, bytes, clock_timestamp(), expires_at FROM v WHERE value IS NOT NULL ORDER BY n
            ON CONFLICT (tenant_id, run_id, agent, key) DO UPDATE SET value = EXCLUDED.value, bytes = EXCLUDED.bytes, written_at = EXCLUDED.written_at, expires_at = EXCLUDED.expires_at
            RETURNING agent, bytes)
     ${DELTA_TAIL}`,
    [
      tenantId,
      rows.map((r) => r.e.runId),
      rows.map((r) => r.e.agent),
      rows.map((r) => r.e.key),
      rows.map((r) => (r.e.deleted ? null : JSON.stringify(r.e.value))),
      rows.map((r) => r.e.bytes),
      rows.map((r) => r.e.expiresAt),
    ],
  );
  return out.map((r) => [r.agent, { items: r.items, bytes: Number(r.bytes) }]);
}

async function upsertLongTerm(client: PoolClient, tenantId: string, sets: ReadonlyArray<{ runId: string; writes: StepMemoryWrites }>): Promise<Deltas> {
  const rows = lastPerKey(sets.flatMap((s) => s.writes.longTerm.map((e) => ({ scope: s.writes.agent, e: { ...e, agent: s.writes.agent } }))));
  if (!rows.length) return [];
  const { rows: out } = await client.query<{ agent: string; items: number; bytes: string }>(
    `WITH v AS (SELECT * FROM unnest($2::text[], $3::text[], $4::text[], $5::int[]) WITH ORDINALITY AS v(agent, key, value, bytes, n)),
     old AS (SELECT m.agent, m.bytes FROM runs.memory_long_term m JOIN v ON m.tenant_id = $1 AND m.agent = v.agent AND m.key = v.key),
     del AS (DELETE FROM runs.memory_long_term m USING v WHERE v.value IS NULL AND m.tenant_id = $1 AND m.agent = v.agent AND m.key = v.key),
     up AS (INSERT INTO runs.memory_long_term (tenant_id, agent, key, value, bytes, written_at)
            SELECT $1, agent, key, value::jsonb, bytes, clock_timestamp() FROM v WHERE value IS NOT NULL ORDER BY n
            ON CONFLICT (tenant_id, agent, key) DO UPDATE SET value = EXCLUDED.value, bytes = EXCLUDED.bytes, written_at = EXCLUDED.written_at
            RETURNING agent, bytes)
     ${DELTA_TAIL}`,
    [tenantId, rows.map((r) => r.e.agent), rows.map((r) => r.e.key), rows.map((r) => (r.e.deleted ? null : JSON.stringify(r.e.value))), rows.map((r) => r.e.bytes)],
  );
  return out.map((r) => [r.agent, { items: r.items, bytes: Number(r.bytes) }]);
}

/** Ids are drawn in insertion order (ORDER BY the input's ordinal), so sorted ids map back to the input. */
const sortedIds = (rows: Array<{ id: string }>): bigint[] => rows.map((r) => BigInt(r.id)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

async function insertEpisodes(client: PoolClient, tenantId: string, sets: ReadonlyArray<{ writes: StepMemoryWrites }>, add: (agent: string, kind: MemoryKind, d: Delta) => void): Promise<bigint[]> {
  const rows = sets.flatMap((s) => s.writes.episodes.map((e) => ({ ...e, agent: s.writes.agent })));
  if (!rows.length) return [];
  const { rows: ids } = await client.query<{ id: string }>(
    `INSERT INTO runs.memory_episodic (tenant_id, agent, at, text, data, embedding, dims, bytes, expires_at)
     SELECT $1, agent, at, text::jsonb, data::jsonb, embedding, dims, bytes, expires_at
     FROM unnest($2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::bytea[], $7::int[], $8::int[], $9::timestamptz[]) WITH ORDINALITY AS v(agent, at, text, data, embedding, dims, bytes, expires_at, n)
     ORDER BY n RETURNING id`,
    [
      tenantId,
      rows.map((r) => r.agent),
      rows.map((r) => r.at),
      rows.map((r) => JSON.stringify(r.text)),
      rows.map((r) => (r.data === undefined ? null : JSON.stringify(r.data))),
      rows.map((r) => r.embedding),
      rows.map((r) => r.dims),
      rows.map((r) => r.bytes),
      rows.map((r) => r.expiresAt),
    ],
  );
  for (const r of rows) add(r.agent, 'episodic', { items: 1, bytes: r.bytes });
  return sortedIds(ids);
}

async function insertFacts(client: PoolClient, tenantId: string, sets: ReadonlyArray<{ writes: StepMemoryWrites }>, add: (agent: string, kind: MemoryKind, d: Delta) => void): Promise<bigint[]> {
  const rows = sets.flatMap((s) => s.writes.facts.map((e) => ({ ...e, agent: s.writes.agent })));
  if (!rows.length) return [];
  const { rows: ids } = await client.query<{ id: string }>(
    `INSERT INTO runs.memory_semantic (tenant_id, agent, text, metadata, embedding, dims, bytes)
     SELECT $1, agent, text::jsonb, metadata::jsonb, embedding, dims, bytes
     FROM unnest($2::text[], $3::text[], $4::text[], $5::bytea[], $6::int[], $7::int[]) WITH ORDINALITY AS v(agent, text, metadata, embedding, dims, bytes, n)
     ORDER BY n RETURNING id`,
    [tenantId, rows.map((r) => r.agent), rows.map((r) => JSON.stringify(r.text)), rows.map((r) => JSON.stringify(r.metadata)), rows.map((r) => r.embedding), rows.map((r) => r.dims), rows.map((r) => r.bytes)],
  );
  for (const r of rows) add(r.agent, 'semantic', { items: 1, bytes: r.bytes });
  return sortedIds(ids);
}

async function updateUsage(
  client: PoolClient,
  tenantId: string,
  scopes: ReadonlyArray<{ agent: string; kind: MemoryKind; delta: Delta }>,
  evictions: readonly Eviction[],
): Promise<MemoryUsage[]> {
  const evicted = (s: { agent: string; kind: MemoryKind }): number => evictions.filter((e) => e.agent === s.agent && e.kind === s.kind).reduce((n, e) => n + e.items, 0);
  const { rows } = await client.query<{ agent: string; kind: MemoryKind; items: string; bytes: string }>(
    `UPDATE runs.memory_usage u SET items = u.items + d.items, bytes = u.bytes + d.bytes, evictions = u.evictions + d.evicted
     FROM unnest($2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[]) AS d(agent, kind, items, bytes, evicted)
     WHERE u.tenant_id = $1 AND u.agent = d.agent AND u.kind = d.kind
     RETURNING u.agent, u.kind, u.items, u.bytes`,
    [tenantId, scopes.map((s) => s.agent), scopes.map((s) => s.kind), scopes.map((s) => s.delta.items), scopes.map((s) => s.delta.bytes), scopes.map(evicted)],
  );
  return rows.map((r) => ({ agent: r.agent, kind: r.kind, items: Number(r.items), bytes: Number(r.bytes) }));
}
