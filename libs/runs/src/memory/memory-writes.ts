import type { PoolClient } from 'pg';
import { evictOverCap, evictShortTerm, type Eviction } from './memory-eviction';
import { MEMORY_STATEMENT } from './memory-statement';

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
  /** The writing step's classification (canonical wire form): every item written takes it. */
  classification: readonly string[];
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

const scopeKey = (agent: string, kind: MemoryKind): string => `${agent}\u0000${kind}`;

/** The one order in which transactions lock usage rows (no deadlock between batches). */
const byLockOrder = (a: { agent: string; kind: MemoryKind }, b: { agent: string; kind: MemoryKind }): number =>
  a.agent < b.agent ? -1 : a.agent > b.agent ? 1 : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0;

/**
 * Usage counters per scope are spread over this many rows; a batch adds to one picked at
 * random, so concurrent writers of one agent's memory seldom wait on the same row.
 */
export const USAGE_SHARDS = 16;

/**
 * Applies the memory writes of the first-written steps of one batch, inside the batch's
 * transaction (so they commit with the step records, or not at all). Per batch, whatever its
 * number of steps: ONE statement (`memory-statement.ts`) writes every kind and adds to the
 * usage counters, and returns the totals; an eviction statement runs only for a scope a write
 * pushed over its limit.
 *
 * The limits are checked against the committed totals plus this batch's change: batches of the
 * same agent committing at the same moment do not see each other's change, so a scope can be
 * over its limit by their writes until its next write evicts (docs/memory.md).
 */
export async function executeMemoryWrites(client: PoolClient, tenantId: string, sets: ReadonlyArray<{ runId: string; writes: StepMemoryWrites }>): Promise<MemoryCommit[]> {
  const touched = new Map<string, { agent: string; kind: MemoryKind; caps: MemoryCaps }>();
  for (const { writes: w } of sets) {
    const kinds: Array<[MemoryKind, number]> = [['short_term', w.shortTerm.length], ['long_term', w.longTerm.length], ['episodic', w.episodes.length], ['semantic', w.facts.length]];
    for (const [kind, n] of kinds) if (n && !touched.has(scopeKey(w.agent, kind))) touched.set(scopeKey(w.agent, kind), { agent: w.agent, kind, caps: w.caps });
  }
  const scopes = [...touched.values()].sort(byLockOrder);
  const shard = Math.floor(Math.random() * USAGE_SHARDS);
  const written = await writeAll(client, tenantId, sets, scopes, shard);

  const evictions: Eviction[] = [];
  const crowded = written.shortCounts.filter((c) => c.count > c.cap);
  if (crowded.length) evictions.push(...(await evictShortTerm(client, tenantId, crowded)));
  for (const scope of scopes) {
    if (scope.kind === 'short_term') continue;
    const u = written.usage.get(scopeKey(scope.agent, scope.kind));
    const e = u && (await evictOverCap(client, tenantId, scope.agent, scope.kind, scope.caps, u));
    if (e) evictions.push(e);
  }
  if (evictions.length) await subtractEvictions(client, tenantId, shard, evictions, written.usage);

  // Ids back to their steps in write order; evictions to the first step of their scope.
  let e = 0;
  let f = 0;
  const reported = new Set<string>();
  const usage = [...written.usage.values()];
  return sets.map(({ writes: w }) => {
    const mine = evictions.filter((x) => x.agent === w.agent && !reported.has(scopeKey(x.agent, x.kind)));
    for (const x of mine) reported.add(scopeKey(x.agent, x.kind));
    const out: MemoryCommit = {
      episodeIds: written.episodeIds.slice(e, e + w.episodes.length),
      factIds: written.factIds.slice(f, f + w.facts.length),
      usage: usage.filter((u) => u.agent === w.agent),
      evictions: mine,
    };
    e += w.episodes.length;
    f += w.facts.length;
    return out;
  });
}

/** The last write per key wins across the batch (one statement cannot touch a row twice). */
function lastPerKey<T extends { key: string }>(entries: Array<{ scope: string; e: T }>): T[] {
  const out = new Map<string, T>();
  for (const x of entries) {
    const k = `${x.scope}\u0000${x.e.key}`;
    out.delete(k);
    out.set(k, x.e);
  }
  return [...out.values()];
}

interface Written {
  usage: Map<string, MemoryUsage>;
  episodeIds: bigint[];
  factIds: bigint[];
  /** Short-term entries per (run, agent) after the write, where some were added. */
  shortCounts: Array<{ runId: string; agent: string; cap: number; count: number }>;
}

async function writeAll(client: PoolClient, tenantId: string, sets: ReadonlyArray<{ runId: string; writes: StepMemoryWrites }>, scopes: ReadonlyArray<{ agent: string; kind: MemoryKind }>, shard: number): Promise<Written> {
  const cls = (w: StepMemoryWrites): string => w.classification.join(',');
  const short = lastPerKey(sets.flatMap((s) => s.writes.shortTerm.map((e) => ({ scope: `${s.runId.toLowerCase()}\u0000${s.writes.agent}`, e: { ...e, runId: s.runId, agent: s.writes.agent, cls: cls(s.writes) } }))));
  const long = lastPerKey(sets.flatMap((s) => s.writes.longTerm.map((e) => ({ scope: s.writes.agent, e: { ...e, agent: s.writes.agent, cls: cls(s.writes) } }))));
  const episodes = sets.flatMap((s) => s.writes.episodes.map((e) => ({ ...e, agent: s.writes.agent, cls: cls(s.writes) })));
  const facts = sets.flatMap((s) => s.writes.facts.map((e) => ({ ...e, agent: s.writes.agent, cls: cls(s.writes) })));
  const json = (e: { value: unknown; deleted?: boolean }): string | null => (e.deleted ? null : JSON.stringify(e.value));
  const caps = new Map(sets.map((s) => [`${s.runId.toLowerCase()}\u0000${s.writes.agent}`, s.writes.caps.shortTermItems]));
  // Named: prepared once per connection, so the large statement is not parsed and planned per batch.
  const { rows } = await client.query<{ what: 'usage' | 'episode' | 'fact' | 'short'; v: Record<string, unknown> }>({ name: 'weaver-memory-writes-v2', text: MEMORY_STATEMENT, values: [
    tenantId,
    short.map((e) => e.runId),
    short.map((e) => e.agent),
    short.map((e) => e.key),
    short.map(json),
    short.map((e) => e.bytes),
    short.map((e) => e.expiresAt),
    long.map((e) => e.agent),
    long.map((e) => e.key),
    long.map(json),
    long.map((e) => e.bytes),
    episodes.map((e) => e.agent),
    episodes.map((e) => e.at),
    episodes.map((e) => JSON.stringify(e.text)),
    episodes.map((e) => (e.data === undefined ? null : JSON.stringify(e.data))),
    episodes.map((e) => e.embedding),
    episodes.map((e) => e.dims),
    episodes.map((e) => e.bytes),
    episodes.map((e) => e.expiresAt),
    facts.map((e) => e.agent),
    facts.map((e) => JSON.stringify(e.text)),
    facts.map((e) => JSON.stringify(e.metadata)),
    facts.map((e) => e.embedding),
    facts.map((e) => e.dims),
    facts.map((e) => e.bytes),
    scopes.map((s) => s.agent),
    scopes.map((s) => s.kind),
    shard,
    short.map((e) => e.cls),
    long.map((e) => e.cls),
    episodes.map((e) => e.cls),
    facts.map((e) => e.cls),
  ] });
  const out: Written = { usage: new Map(), episodeIds: [], factIds: [], shortCounts: [] };
  for (const { what, v } of rows) {
    if (what === 'usage') out.usage.set(scopeKey(v['agent'] as string, v['kind'] as MemoryKind), { agent: v['agent'] as string, kind: v['kind'] as MemoryKind, items: Number(v['items']), bytes: Number(v['bytes']) });
    else if (what === 'episode') out.episodeIds.push(BigInt(v['id'] as string));
    else if (what === 'fact') out.factIds.push(BigInt(v['id'] as string));
    else {
      const runId = v['run_id'] as string;
      const agent = v['agent'] as string;
      out.shortCounts.push({ runId, agent, count: Number(v['count']), cap: caps.get(`${runId.toLowerCase()}\u0000${agent}`) ?? Number.MAX_SAFE_INTEGER });
    }
  }
  // Ids are drawn in insertion order (ORDER BY the input's ordinal): sorted, they map back to the input.
  const ascending = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
  out.episodeIds.sort(ascending);
  out.factIds.sort(ascending);
  return out;
}

/** Takes what was evicted off this batch's shard (whose row it holds already) and off the totals it returns. */
async function subtractEvictions(client: PoolClient, tenantId: string, shard: number, evictions: readonly Eviction[], usage: Written['usage']): Promise<void> {
  await client.query(
    `UPDATE runs.memory_usage u SET items = u.items - d.items, bytes = u.bytes - d.bytes, evictions = u.evictions + d.items
     FROM unnest($3::text[], $4::text[], $5::bigint[], $6::bigint[]) AS d(agent, kind, items, bytes)
     WHERE u.tenant_id = $1 AND u.shard = $2 AND u.agent = d.agent AND u.kind = d.kind`,
    [tenantId, shard, evictions.map((e) => e.agent), evictions.map((e) => e.kind), evictions.map((e) => e.items), evictions.map((e) => e.bytes)],
  );
  for (const e of evictions) {
    const u = usage.get(scopeKey(e.agent, e.kind));
    if (u) Object.assign(u, { items: u.items - e.items, bytes: u.bytes - e.bytes });
  }
}
