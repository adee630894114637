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
  /**
   * The scope's commit sequence these rows carry (`seq`): writers of one (tenant, agent, kind)
   * take it from their usage row, which they hold locked to commit, so it grows in commit order.
   */
  seq: { episodic: bigint; semantic: bigint };
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
 * The one order in which transactions lock usage rows: long-term first (a batch that writes it
 * locks those rows before anything else, see below), then the other kinds, by agent.
 */
const KIND_RANK: Record<MemoryKind, number> = { long_term: 0, episodic: 1, semantic: 2, short_term: 3 };
const byLockOrder = (a: { agent: string; kind: MemoryKind }, b: { agent: string; kind: MemoryKind }): number =>
  KIND_RANK[a.kind] - KIND_RANK[b.kind] || (a.agent < b.agent ? -1 : a.agent > b.agent ? 1 : 0);

/**
 * Applies the memory writes of the first-written steps of one batch, inside the batch's
 * transaction (so they commit with the step records, or not at all). Per batch, whatever its
 * number of steps: ONE statement (`memory-statement.ts`) writes every kind and adds to the
 * usage counters — plus, when the batch writes long-term memory, one statement before it that
 * locks the usage rows (so the replaced entries' old sizes it reads are exact), and one
 * eviction statement per scope a write pushed over its limit (only then).
 */
export async function executeMemoryWrites(client: PoolClient, tenantId: string, sets: ReadonlyArray<{ runId: string; writes: StepMemoryWrites }>): Promise<MemoryCommit[]> {
  const touched = new Map<string, { agent: string; kind: MemoryKind; caps: MemoryCaps }>();
  for (const { writes: w } of sets) {
    const kinds: Array<[MemoryKind, number]> = [['short_term', w.shortTerm.length], ['long_term', w.longTerm.length], ['episodic', w.episodes.length], ['semantic', w.facts.length]];
    for (const [kind, n] of kinds) if (n && !touched.has(scopeKey(w.agent, kind))) touched.set(scopeKey(w.agent, kind), { agent: w.agent, kind, caps: w.caps });
  }
  const scopes = [...touched.values()].sort(byLockOrder);
  // Long-term entries replace earlier ones of other runs: lock first, so the old sizes are exact.
  if (scopes.some((s) => s.kind === 'long_term')) await lockUsage(client, tenantId, scopes);
  const written = await writeAll(client, tenantId, sets, scopes);

  const evictions: Eviction[] = [];
  const crowded = written.shortCounts.filter((c) => c.count > c.cap);
  if (crowded.length) evictions.push(...(await evictShortTerm(client, tenantId, crowded)));
  for (const scope of scopes) {
    if (scope.kind === 'short_term') continue;
    const u = written.usage.get(scopeKey(scope.agent, scope.kind));
    const e = u && (await evictOverCap(client, tenantId, scope.agent, scope.kind, scope.caps, u));
    if (e) evictions.push(e);
  }
  if (evictions.length) await subtractEvictions(client, tenantId, evictions, written.usage);

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
      seq: { episodic: written.usage.get(scopeKey(w.agent, 'episodic'))?.version ?? 0n, semantic: written.usage.get(scopeKey(w.agent, 'semantic'))?.version ?? 0n },
      usage: usage.filter((u) => u.agent === w.agent).map(({ agent, kind, items, bytes }) => ({ agent, kind, items, bytes })),
      evictions: mine,
    };
    e += w.episodes.length;
    f += w.facts.length;
    return out;
  });
}

/** Creates or locks the usage row of every touched (agent, kind), in the one lock order. */
async function lockUsage(client: PoolClient, tenantId: string, scopes: ReadonlyArray<{ agent: string; kind: MemoryKind }>): Promise<void> {
  await client.query(
    `INSERT INTO runs.memory_usage (tenant_id, agent, kind)
     SELECT $1, s.agent, s.kind FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS s(agent, kind, n) ORDER BY s.n
     ON CONFLICT (tenant_id, agent, kind) DO UPDATE SET items = runs.memory_usage.items`,
    [tenantId, scopes.map((s) => s.agent), scopes.map((s) => s.kind)],
  );
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
  usage: Map<string, MemoryUsage & { version: bigint }>;
  episodeIds: bigint[];
  factIds: bigint[];
  /** Short-term entries per (run, agent) after the write, where some were added. */
  shortCounts: Array<{ runId: string; agent: string; cap: number; count: number }>;
}

async function writeAll(client: PoolClient, tenantId: string, sets: ReadonlyArray<{ runId: string; writes: StepMemoryWrites }>, scopes: ReadonlyArray<{ agent: string; kind: MemoryKind }>): Promise<Written> {
  const short = lastPerKey(sets.flatMap((s) => s.writes.shortTerm.map((e) => ({ scope: `${s.runId.toLowerCase()}\u0000${s.writes.agent}`, e: { ...e, runId: s.runId, agent: s.writes.agent } }))));
  const long = lastPerKey(sets.flatMap((s) => s.writes.longTerm.map((e) => ({ scope: s.writes.agent, e: { ...e, agent: s.writes.agent } }))));
  const episodes = sets.flatMap((s) => s.writes.episodes.map((e) => ({ ...e, agent: s.writes.agent })));
  const facts = sets.flatMap((s) => s.writes.facts.map((e) => ({ ...e, agent: s.writes.agent })));
  const json = (e: { value: unknown; deleted?: boolean }): string | null => (e.deleted ? null : JSON.stringify(e.value));
  const caps = new Map(sets.map((s) => [`${s.runId.toLowerCase()}\u0000${s.writes.agent}`, s.writes.caps.shortTermItems]));
  // Named: prepared once per connection, so the large statement is not parsed and planned per batch.
  const { rows } = await client.query<{ what: 'usage' | 'episode' | 'fact' | 'short'; v: Record<string, unknown> }>({ name: 'weaver-memory-writes-v1', text: MEMORY_STATEMENT, values: [
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
  ] });
  const out: Written = { usage: new Map(), episodeIds: [], factIds: [], shortCounts: [] };
  for (const { what, v } of rows) {
    if (what === 'usage') out.usage.set(scopeKey(v['agent'] as string, v['kind'] as MemoryKind), { agent: v['agent'] as string, kind: v['kind'] as MemoryKind, items: Number(v['items']), bytes: Number(v['bytes']), version: BigInt(v['version'] as string) });
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

async function subtractEvictions(client: PoolClient, tenantId: string, evictions: readonly Eviction[], usage: Written['usage']): Promise<void> {
  const { rows } = await client.query<{ agent: string; kind: MemoryKind; items: string; bytes: string }>(
    `UPDATE runs.memory_usage u SET items = u.items - d.items, bytes = u.bytes - d.bytes, evictions = u.evictions + d.items
     FROM unnest($2::text[], $3::text[], $4::bigint[], $5::bigint[]) AS d(agent, kind, items, bytes)
     WHERE u.tenant_id = $1 AND u.agent = d.agent AND u.kind = d.kind
     RETURNING u.agent, u.kind, u.items, u.bytes`,
    [tenantId, evictions.map((e) => e.agent), evictions.map((e) => e.kind), evictions.map((e) => e.items), evictions.map((e) => e.bytes)],
  );
  for (const r of rows) {
    const u = usage.get(scopeKey(r.agent, r.kind));
    if (u) Object.assign(u, { items: Number(r.items), bytes: Number(r.bytes) });
  }
}
