import { UsearchIndex, type UsearchTuning } from './usearch-index';
import type { VectorIndexFactory } from './vector-index';

/**
 * The tuning chosen by tools/bench/memory.ts (docs/benchmarks.md "Vector index"): on 100,000
 * clustered 384-d vectors, ef 64 gives recall@10 0.99 (ef 32: 0.98, ef 16: 0.94, below the 0.95
 * target), so ef 64 keeps a margin for harder real data at ~0.5 ms a search. f16 storage halves
 * the memory of f32 (≈0.9 vs 1.6 KB a vector) with the same recall, and builds and searches
 * faster (less memory to read); scores lose only their fourth decimal.
 */
export const DEFAULT_USEARCH_TUNING: UsearchTuning = {
  connectivity: 16,
  expansionAdd: 128,
  expansionSearch: 64,
  quantization: 'f16',
  addThreads: 1,
};

/**
 * The index semantic and episodic memory use: usearch, chosen by measurement over hnswlib and
 * LanceDB (docs/benchmarks.md "Vector index"). usearch grows its capacity by itself, so
 * `expectedSize` is not needed. For a cold start from many rows, buildInBackground builds the
 * same index off the event loop.
 */
export const defaultVectorIndex: VectorIndexFactory = (dimensions) => new UsearchIndex(dimensions, DEFAULT_USEARCH_TUNING);
