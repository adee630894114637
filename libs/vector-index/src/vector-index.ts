/**
 * An in-process similarity index over float vectors (issue 9: semantic and episodic memory).
 * The durable copy of every vector lives in PostgreSQL; an index is derived state, rebuilt
 * from there, so implementations need not persist anything themselves. Scores are cosine
 * similarity (1 = same direction); keys are the rows' numeric ids.
 */
export interface VectorHit {
  key: bigint;
  score: number;
}

export interface VectorIndex {
  readonly dimensions: number;
  /** Adds or replaces vectors (each of `dimensions` floats). */
  upsert(items: ReadonlyArray<{ key: bigint; vector: Float32Array }>): void;
  remove(keys: readonly bigint[]): void;
  /** The `k` nearest by cosine similarity, best first. */
  search(query: Float32Array, k: number): VectorHit[];
  size(): number;
}

/** Makes an empty index; `expectedSize` lets an implementation reserve capacity up front. */
export type VectorIndexFactory = (dimensions: number, expectedSize?: number) => VectorIndex;
