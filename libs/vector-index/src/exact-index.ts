import { checkedK, checkedVector } from './checks';
import type { VectorHit, VectorIndex } from './vector-index';

/**
 * Brute-force cosine search: the reference the approximate indexes are measured against
 * (recall@k), and fine for small sets. Vectors are stored normalised, so a score is a dot product.
 */
export class ExactIndex implements VectorIndex {
  private readonly vectors = new Map<bigint, Float32Array>();

  constructor(readonly dimensions: number) {}

  upsert(items: ReadonlyArray<{ key: bigint; vector: Float32Array }>): void {
    for (const { key, vector } of items) this.vectors.set(key, normalised(checkedVector(vector, this.dimensions)));
  }

  remove(keys: readonly bigint[]): void {
    for (const key of keys) this.vectors.delete(key);
  }

  search(query: Float32Array, k: number): VectorHit[] {
    const q = normalised(checkedVector(query, this.dimensions, 'query'));
    if (checkedK(k) === 0) return [];
    const hits: VectorHit[] = [];
    for (const [key, v] of this.vectors) hits.push({ key, score: dot(q, v) });
    return hits.sort((a, b) => b.score - a.score).slice(0, k);
  }

  size(): number {
    return this.vectors.size;
  }
}

export function normalised(v: Float32Array): Float32Array {
  const norm = Math.sqrt(dot(v, v)) || 1;
  return v.map((x) => x / norm);
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
