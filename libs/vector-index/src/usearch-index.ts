import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Index, MetricKind, ScalarKind } from 'usearch';
import { ValidationError } from '@weaver/errors';
import { checkedK, checkedKey, checkedVector, lastPerKey } from './checks';
import type { VectorHit, VectorIndex } from './vector-index';

/** HNSW tuning for usearch (docs/benchmarks.md "Vector index" shows the trade-off measured). */
export interface UsearchTuning {
  /** M: graph edges per node. More = better recall and more memory. */
  connectivity: number;
  /** ef at insertion: candidates considered when linking a new node (build time vs graph quality). */
  expansionAdd: number;
  /** ef at search: candidates kept while searching (latency vs recall); fixed per index in usearch's JS API. */
  expansionSearch: number;
  /** Storage of each vector inside the index: f32 exact, f16 half the memory, i8 a quarter. */
  quantization: 'f32' | 'f16' | 'i8';
  /**
   * Threads for a batch upsert (0 = one per core). A native call blocks the event loop either
   * way; more threads only shorten the block of a bulk (cold-start) build. Searches use one
   * thread: a single query gains nothing from a thread pool and would pay its start-up.
   */
  addThreads: number;
}

const MAX_KEY = 2n ** 64n - 2n; // u64; the all-ones key is usearch's "no key" marker

/**
 * usearch (HNSW, prebuilt native addon) behind the VectorIndex interface, by cosine similarity.
 * Capacity grows by itself (the addon reserves the next power of two when an add would exceed
 * it), removal frees a slot the next insertion reuses, and keys are u64, so a row's bigint id
 * is its key unchanged.
 */
export class UsearchIndex implements VectorIndex {
  private readonly index: Index;
  /** Key-lookup tombstones left by removals since the lookup table was last rebuilt (see compact). */
  private removedSinceCompaction = 0;

  constructor(
    readonly dimensions: number,
    readonly tuning: UsearchTuning,
  ) {
    this.index = new Index({
      dimensions,
      // Inner product of unit vectors is their cosine; vectors are normalised on the way in
      // (during the copy into the batch matrix, so free), which measured ~15% faster to build
      // than usearch's cosine metric (that one divides by both norms on every comparison).
      metric: MetricKind.IP,
      quantization: SCALARS[tuning.quantization],
      connectivity: tuning.connectivity,
      expansion_add: tuning.expansionAdd,
      expansion_search: tuning.expansionSearch,
      multi: false,
    });
  }

  upsert(items: ReadonlyArray<{ key: bigint; vector: Float32Array }>): void {
    const batch = lastPerKey(items);
    if (batch.length === 0) return;
    const keys = new BigUint64Array(batch.length);
    const matrix = new Float32Array(batch.length * this.dimensions);
    batch.forEach(({ key, vector }, i) => {
      keys[i] = checkedKey(key, MAX_KEY, `items[${i}].key`);
      setUnit(matrix, i * this.dimensions, checkedVector(vector, this.dimensions, `items[${i}].vector`));
    });
    // usearch refuses a key it already holds ("duplicate keys"): an upsert replaces by removing first.
    this.removeKeys(keys);
    this.index.add(keys, matrix, this.tuning.addThreads);
  }

  remove(keys: readonly bigint[]): void {
    if (keys.length === 0) return;
    this.removeKeys(BigUint64Array.from(keys, (key, i) => checkedKey(key, MAX_KEY, `keys[${i}]`)));
  }

  /**
   * usearch 2.25's key lookup (an open-addressing hash set) marks removed keys with tombstones
   * but leaves them out of its load factor, so under churn it fills up with no empty slot left;
   * then a lookup degrades to a scan of the whole table and `remove` of a present key finds
   * nothing (its range search wraps onto itself) while `contains` still sees the key. So: the
   * lookup is rebuilt before tombstones plus live keys could fill it (they cannot while below the
   * vector capacity, which the table has at least 1.125× slots for), and a removal that misses a
   * key still contained rebuilds and retries rather than leaving a ghost vector searchable.
   */
  private removeKeys(keys: BigUint64Array): void {
    if (this.size() + this.removedSinceCompaction + keys.length >= this.capacity()) this.compact();
    const removed = this.index.remove(keys) as number[];
    this.removedSinceCompaction += removed.filter((n) => n > 0).length;
    let missed = keys.filter((_, i) => removed[i] === 0);
    if (missed.length > 0) {
      const contained = this.index.contains(missed) as boolean[];
      missed = missed.filter((_, i) => contained[i]);
    }
    if (missed.length === 0) return;
    this.compact();
    const retried = this.index.remove(missed) as number[];
    if (retried.some((n, i) => n === 0 && (this.index.contains(missed[i]!) as boolean))) throw new Error('usearch could not remove a key it holds');
    this.removedSinceCompaction += missed.length;
  }

  /** Rebuilds the key lookup without tombstones: a save and load of the index (the JS API has no other way). */
  private compact(): void {
    if (this.removedSinceCompaction === 0) return;
    throughTempFile((file) => {
      this.index.save(file);
      this.index.load(file);
    });
    this.removedSinceCompaction = 0;
  }

  search(query: Float32Array, k: number): VectorHit[] {
    const unit = setUnit(new Float32Array(this.dimensions), 0, checkedVector(query, this.dimensions, 'query'));
    if (checkedK(k) === 0 || this.index.size() === 0) return [];
    const { keys, distances } = this.index.search(unit, k, 1);
    const hits: VectorHit[] = [];
    for (let i = 0; i < keys.length; i++) hits.push({ key: keys[i]!, score: 1 - distances[i]! });
    return hits;
  }

  size(): number {
    return this.index.size();
  }

  /** Slots reserved (grows in powers of two); for memory metrics. */
  capacity(): number {
    return this.index.capacity();
  }

  /** usearch's own file format: loading it skips the graph construction of a rebuild. */
  save(path: string): void {
    this.index.save(path);
  }

  /** Replaces the contents with a saved index; search keeps this index's `expansionSearch`. */
  load(path: string): void {
    this.index.load(path);
    if (this.index.dimensions() !== this.dimensions) throw new ValidationError([{ field: 'index', rule: `the saved index has ${this.index.dimensions()} dimensions, this one ${this.dimensions}` }], 'vector index');
  }

  /** The saved form as bytes (the addon writes only to files, so through a private temp file). */
  toBuffer(): Buffer {
    return throughTempFile((file) => {
      this.save(file);
      return readFileSync(file);
    });
  }

  static fromBuffer(bytes: Uint8Array, dimensions: number, tuning: UsearchTuning): UsearchIndex {
    const index = new UsearchIndex(dimensions, tuning);
    throughTempFile((file) => {
      writeFileSync(file, bytes);
      index.load(file);
    });
    return index;
  }
}

function throughTempFile<T>(use: (file: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'weaver-usearch-'));
  try {
    return use(join(dir, 'index.usearch'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes `v / |v|` into `out` at `offset` (a zero vector stays zero: it matches nothing). */
function setUnit(out: Float32Array, offset: number, v: Float32Array): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  const scale = s > 0 ? 1 / Math.sqrt(s) : 0;
  for (let i = 0; i < v.length; i++) out[offset + i] = v[i]! * scale;
  return out;
}

const SCALARS = { f32: ScalarKind.F32, f16: ScalarKind.F16, i8: ScalarKind.I8 } as const;
