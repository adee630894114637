import { HierarchicalNSW } from 'hnswlib-node';
import type { VectorHit, VectorIndex } from '../../../libs/vector-index/src';
import { checkedK, checkedKey, checkedVector, lastPerKey } from '../../../libs/vector-index/src/checks';

/** HNSW tuning for hnswlib (docs/benchmarks.md "Vector index"). */
export interface HnswlibTuning {
  /** M: graph edges per node. */
  m: number;
  /** ef at insertion. */
  efConstruction: number;
  /** ef at search (settable at any time in hnswlib). */
  ef: number;
}

const MAX_KEY = 2n ** 32n - 1n; // the addon reads a label as a uint32 (a larger one would wrap silently)
const MIN_CAPACITY = 64;

/**
 * hnswlib (HNSW, native addon built by node-gyp at install) behind the VectorIndex interface,
 * for the benchmark's comparison only (not chosen: docs/benchmarks.md "Vector index"; it lives
 * here so that dropping hnswlib-node touches only the bench).
 * The addon takes plain arrays, so every vector is copied into one per call; its capacity is
 * fixed until resized (done here by doubling); labels are uint32; and removal only marks a label deleted — the
 * slot is not reused (hnswlib's slot reuse overwrites the label map of the replaced element and
 * loses a re-added key), so an index that churns grows until it is rebuilt.
 */
export class HnswlibIndex implements VectorIndex {
  private readonly index: HierarchicalNSW;
  private readonly live = new Set<number>();

  constructor(
    readonly dimensions: number,
    readonly tuning: HnswlibTuning,
    expectedSize = MIN_CAPACITY,
  ) {
    this.index = new HierarchicalNSW('cosine', dimensions);
    this.index.initIndex({ maxElements: Math.max(MIN_CAPACITY, expectedSize), m: tuning.m, efConstruction: tuning.efConstruction, randomSeed: 100 });
    this.index.setEf(tuning.ef);
  }

  upsert(items: ReadonlyArray<{ key: bigint; vector: Float32Array }>): void {
    const batch = lastPerKey(items).map(({ key, vector }, i) => ({
      label: Number(checkedKey(key, MAX_KEY, `items[${i}].key`)),
      point: Array.from(checkedVector(vector, this.dimensions, `items[${i}].vector`)),
    }));
    for (const { label, point } of batch) {
      if (this.index.getCurrentCount() >= this.index.getMaxElements()) this.index.resizeIndex(this.index.getMaxElements() * 2);
      // An existing label (live or marked deleted) is updated in place and unmarked.
      this.index.addPoint(point, label);
      this.live.add(label);
    }
  }

  remove(keys: readonly bigint[]): void {
    for (const key of keys) {
      const label = Number(key);
      if (this.live.delete(label)) this.index.markDelete(label);
    }
  }

  /** Set at any time (searches after the call use it). */
  setEf(ef: number): void {
    this.index.setEf(ef);
  }

  search(query: Float32Array, k: number): VectorHit[] {
    checkedVector(query, this.dimensions, 'query');
    const wanted = Math.min(checkedK(k), this.live.size);
    if (wanted === 0) return [];
    const { neighbors, distances } = this.index.searchKnn(Array.from(query), wanted);
    return neighbors.map((label, i) => ({ key: BigInt(label), score: 1 - distances[i]! }));
  }

  size(): number {
    return this.live.size;
  }

  save(path: string): void {
    this.index.writeIndexSync(path);
  }
}
