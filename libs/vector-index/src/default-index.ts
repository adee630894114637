import { UsearchIndex, type UsearchTuning } from './usearch-index';
import type { VectorIndexFactory } from './vector-index';

/**
 * The tuning chosen by tools/bench/memory.ts (docs/benchmarks.md "Vector index"): the smallest
 * settings that keep recall@10 ≥ 0.95 on 100,000 clustered 384-d vectors with margin.
 */
export const DEFAULT_USEARCH_TUNING: UsearchTuning = {
  connectivity: 16,
  expansionAdd: 128,
  expansionSearch: 64,
  quantization: 'f32',
  addThreads: 1,
};

/**
 * The index semantic and episodic memory use: usearch, chosen by measurement over hnswlib and
 * LanceDB. usearch grows its capacity by itself, so `expectedSize` is not needed.
 */
export const defaultVectorIndex: VectorIndexFactory = (dimensions) => new UsearchIndex(dimensions, DEFAULT_USEARCH_TUNING);
