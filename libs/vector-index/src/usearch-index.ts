import { Index, MetricKind, ScalarKind } from 'usearch';
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
 * usearch (HNSW, prebuilt native addon) behind the VectorIndex interface, by cosine distance.
 * Capacity grows by itself (the addon reserves the next power of two when an add would exceed
 * it), removal frees a slot the next insertion reuses, and keys are u64, so a row's bigint id
 * is its key unchanged.
 */
export class UsearchIndex implements VectorIndex {
  private readonly index: Index;

  constructor(
    readonly dimensions: number,
    readonly tuning: UsearchTuning,
  ) {
    this.index = new Index({
      dimensions,
      metric: MetricKind.Cos,
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
      matrix.set(checkedVector(vector, this.dimensions, `items[${i}].vector`), i * this.dimensions);
    });
    // usearch refuses a key it already holds ("duplicate keys"): an upsert replaces by removing first.
    this.index.remove(keys);
    this.index.add(keys, matrix, this.tuning.addThreads);
  }

  remove(keys: readonly bigint[]): void {
    if (keys.length === 0) return;
    this.index.remove(BigUint64Array.from(keys, (key, i) => checkedKey(key, MAX_KEY, `keys[${i}]`)));
  }

  search(query: Float32Array, k: number): VectorHit[] {
    checkedVector(query, this.dimensions, 'query');
    if (checkedK(k) === 0 || this.index.size() === 0) return [];
    const { keys, distances } = this.index.search(query, k, 1);
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

  load(path: string): void {
    this.index.load(path);
  }
}

const SCALARS = { f32: ScalarKind.F32, f16: ScalarKind.F16, i8: ScalarKind.I8 } as const;
