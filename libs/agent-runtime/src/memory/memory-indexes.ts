import type { VectorHit, VectorIndex, VectorIndexFactory } from '@weaver/vector-index';
import { ValidationError } from '@weaver/errors';
import type { MemoryReader } from '@weaver/runs';

export type VectorKind = 'episodic' | 'semantic';

/** Builds an index from many rows at once, off the event loop (buildInBackground). */
export type BulkIndexBuild = (dimensions: number, keys: BigUint64Array, vectors: Float32Array) => Promise<VectorIndex>;

/** From this many rows a first load is built in bulk: below it, inserting in place is cheaper than a worker. */
const BULK_FROM = 2_000;

interface Entry {
  index?: VectorIndex;
  /** Ids in the index (a catch-up skips opening them again). */
  ids: Set<bigint>;
  /** Where the next catch-up asks from (MemoryReader.vectorsAfter). */
  horizon: bigint;
  /** Loads and catch-ups of one entry run one at a time. */
  busy: Promise<unknown>;
}

/**
 * The runner's similarity indexes, one per (tenant, agent, kind), derived from the vectors in
 * PostgreSQL (the durable copy): built on first search, kept current by adding this runner's
 * rows when their step commits and, before each search, a "since last seen" query for rows
 * other replicas wrote (an index range scan from a transaction horizon, so no row is missed
 * whatever order transactions commit in; see MemoryReader.vectorsAfter). Rows deleted
 * elsewhere are dropped when a search meets them. At most `maxLoaded` indexes stay loaded; the
 * least recently used goes first (rebuilt on its next search). The implementation is the
 * injected factory.
 */
export class MemoryIndexes {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly reader: Pick<MemoryReader, 'vectorsAfter'>,
    private readonly factory: VectorIndexFactory,
    private readonly maxLoaded = 64,
    private readonly onLoadedChange: (loaded: number) => void = () => undefined,
    private readonly bulkBuild?: BulkIndexBuild,
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

  /** A step's rows committed: into the loaded index at once (not loaded: the first search loads them). */
  added(tenantId: string, agent: string, kind: VectorKind, rows: ReadonlyArray<{ id: bigint; vector: Float32Array }>): void {
    const entry = this.entries.get(keyOf(tenantId, agent, kind));
    if (!entry?.index || !rows.length) return;
    this.put(entry, rows);
  }

  forget(tenantId: string, agent: string, kind: VectorKind, ids: readonly bigint[]): void {
    const entry = this.entries.get(keyOf(tenantId, agent, kind));
    if (!entry?.index || !ids.length) return;
    entry.index.remove(ids);
    for (const id of ids) entry.ids.delete(id);
  }

  private touch(tenantId: string, agent: string, kind: VectorKind): Entry {
    const key = keyOf(tenantId, agent, kind);
    let entry = this.entries.get(key);
    if (entry) this.entries.delete(key);
    entry ??= { ids: new Set(), horizon: 0n, busy: Promise.resolve() };
    this.entries.set(key, entry); // most recently used last
    while (this.entries.size > this.maxLoaded) this.entries.delete(this.entries.keys().next().value!);
    this.onLoadedChange(this.entries.size);
    return entry;
  }

  private async catchUp(tenantId: string, agent: string, kind: VectorKind, entry: Entry): Promise<void> {
    const { rows, horizon } = await this.reader.vectorsAfter(tenantId, agent, kind, entry.horizon, (id) => entry.ids.has(id));
    if (rows.length && !entry.index && this.bulkBuild && rows.length >= BULK_FROM) {
      entry.index = await this.buildBulk(entry, rows);
    } else if (rows.length) {
      entry.index ??= this.factory(rows[0]!.vector.length, rows.length);
      this.put(entry, rows);
    }
    entry.horizon = horizon;
  }

  /**
   * A cold start from many rows: inserting them here would block the event loop for seconds
   * (no step runs meanwhile; docs/benchmarks.md "Vector index"), so they are built on a worker.
   */
  private async buildBulk(entry: Entry, rows: ReadonlyArray<{ id: bigint; vector: Float32Array }>): Promise<VectorIndex> {
    const dimensions = rows[0]!.vector.length;
    const fitting = [...new Map(rows.filter((r) => r.vector.length === dimensions).map((r) => [r.id, r])).values()];
    const keys = BigUint64Array.from(fitting, (r) => r.id);
    const vectors = new Float32Array(fitting.length * dimensions);
    fitting.forEach((r, i) => vectors.set(r.vector, i * dimensions));
    const index = await this.bulkBuild!(dimensions, keys, vectors);
    for (const r of fitting) entry.ids.add(r.id);
    return index;
  }

  private put(entry: Entry, rows: ReadonlyArray<{ id: bigint; vector: Float32Array }>): void {
    const fitting = rows.filter((r) => r.vector.length === entry.index!.dimensions);
    entry.index!.upsert(fitting.map((r) => ({ key: r.id, vector: r.vector })));
    for (const r of fitting) entry.ids.add(r.id);
  }
}

const keyOf = (tenantId: string, agent: string, kind: VectorKind): string => `${tenantId.toLowerCase()}/${agent}/${kind}`;
