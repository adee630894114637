import type { VectorHit, VectorIndex, VectorIndexFactory } from '@weaver/vector-index';
import { ValidationError } from '@weaver/errors';
import type { MemoryReader } from '@weaver/runs';

export type VectorKind = 'episodic' | 'semantic';

interface Entry {
  index?: VectorIndex;
  /** Every row committed with a seq up to here is in the index (or was deleted). */
  lastSeq: bigint;
  /** Own committed rows (id → seq) above `lastSeq`, already added: the catch-up skips them. */
  own: Map<bigint, bigint>;
  /** Loads and catch-ups of one entry run one at a time. */
  busy: Promise<unknown>;
}

/**
 * The runner's similarity indexes, one per (tenant, agent, kind), derived from the vectors in
 * PostgreSQL (the durable copy): built on first search, kept current by adding this runner's
 * writes when their step commits and, before each search, a "since last seen" query for rows
 * other replicas wrote (one index range scan over `seq`, which grows in commit order per scope,
 * see MemoryReader.vectorsAfter). Rows deleted elsewhere are dropped when a search meets them.
 * At most `maxLoaded` indexes stay loaded; the least recently used goes first (rebuilt on its
 * next search). The index implementation is the injected factory.
 */
export class MemoryIndexes {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly reader: Pick<MemoryReader, 'vectorsAfter'>,
    private readonly factory: VectorIndexFactory,
    private readonly maxLoaded = 64,
    private readonly onLoadedChange: (loaded: number) => void = () => undefined,
  ) {}

  get loaded(): number {
    return this.entries.size;
  }

  async search(tenantId: string, agent: string, kind: VectorKind, query: Float32Array, k: number): Promise<VectorHit[]> {
    const entry = this.touch(tenantId, agent, kind);
    const run = entry.busy.then(() => this.catchUp(tenantId, agent, kind, entry));
    entry.busy = run.catch(() => undefined);
    await run;
    if (!entry.index || entry.index.size() === 0) return [];
    if (entry.index.dimensions !== query.length) {
      throw new ValidationError([{ field: 'embedding', rule: `has ${query.length} dimensions, the stored ${kind} memory ${entry.index.dimensions} (was the embedding model changed?)` }], 'memory search');
    }
    return entry.index.search(query, k);
  }

  /** A step's rows committed (with their seq): into the loaded index at once (not loaded: the first search loads them). */
  added(tenantId: string, agent: string, kind: VectorKind, seq: bigint, rows: ReadonlyArray<{ id: bigint; vector: Float32Array }>): void {
    const entry = this.entries.get(keyOf(tenantId, agent, kind));
    if (!entry?.index || !rows.length) return;
    const fitting = rows.filter((r) => r.vector.length === entry.index!.dimensions);
    entry.index.upsert(fitting.map((r) => ({ key: r.id, vector: r.vector })));
    if (seq > entry.lastSeq) for (const r of fitting) entry.own.set(r.id, seq);
  }

  forget(tenantId: string, agent: string, kind: VectorKind, ids: readonly bigint[]): void {
    const entry = this.entries.get(keyOf(tenantId, agent, kind));
    if (entry?.index && ids.length) entry.index.remove(ids);
  }

  private touch(tenantId: string, agent: string, kind: VectorKind): Entry {
    const key = keyOf(tenantId, agent, kind);
    let entry = this.entries.get(key);
    if (entry) this.entries.delete(key);
    entry ??= { lastSeq: 0n, own: new Map(), busy: Promise.resolve() };
    this.entries.set(key, entry); // most recently used last
    while (this.entries.size > this.maxLoaded) this.entries.delete(this.entries.keys().next().value!);
    this.onLoadedChange(this.entries.size);
    return entry;
  }

  private async catchUp(tenantId: string, agent: string, kind: VectorKind, entry: Entry): Promise<void> {
    // Own rows added while the query runs may be newer than its snapshot: only those added before count.
    const ownBefore = [...entry.own.values()];
    const rows = (await this.reader.vectorsAfter(tenantId, agent, kind, entry.lastSeq)).filter((r) => !entry.own.has(r.id));
    if (rows.length) {
      entry.index ??= this.factory(rows[0]!.vector.length, rows.length);
      entry.index.upsert(rows.filter((r) => r.vector.length === entry.index!.dimensions).map((r) => ({ key: r.id, vector: r.vector })));
    }
    // Everything committed before this query (own writes included) is in now.
    let top = entry.lastSeq;
    for (const r of rows) if (r.seq > top) top = r.seq;
    for (const seq of ownBefore) if (seq > top) top = seq;
    entry.lastSeq = top;
    for (const [id, seq] of entry.own) if (seq <= top) entry.own.delete(id);
  }
}

const keyOf = (tenantId: string, agent: string, kind: VectorKind): string => `${tenantId.toLowerCase()}/${agent}/${kind}`;
