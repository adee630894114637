import { ValidationError } from '@weaver/errors';

/**
 * Input rules every index applies before a vector reaches native code: a wrong length would be
 * read past its end (or silently reshaped into several vectors), and a NaN poisons the graph of
 * an HNSW index for every later search, so both are refused with the field and the rule named.
 */
export function checkedVector(vector: Float32Array, dimensions: number, field = 'vector'): Float32Array {
  if (vector.length !== dimensions) throw new ValidationError([{ field, rule: `must have ${dimensions} dimensions (the index's), has ${vector.length}` }], 'vector');
  for (let i = 0; i < vector.length; i++) {
    if (!Number.isFinite(vector[i])) throw new ValidationError([{ field: `${field}[${i}]`, rule: 'must be a finite number' }], 'vector');
  }
  return vector;
}

/** Keys are rows' numeric ids; `max` is the largest key the implementation can hold. */
export function checkedKey(key: bigint, max: bigint, field = 'key'): bigint {
  if (typeof key !== 'bigint' || key < 0n || key > max) throw new ValidationError([{ field, rule: `must be a bigint from 0 to ${max}` }], 'vector');
  return key;
}

export function checkedK(k: number): number {
  if (!Number.isInteger(k) || k < 0) throw new ValidationError([{ field: 'k', rule: 'must be a non-negative integer' }], 'search');
  return k;
}

/** Last write wins for a key repeated in one batch (a native batch insert would refuse it). */
export function lastPerKey<T extends { key: bigint }>(items: ReadonlyArray<T>): T[] {
  if (items.length < 2) return [...items];
  const byKey = new Map<bigint, T>();
  for (const item of items) byKey.set(item.key, item);
  return byKey.size === items.length ? [...items] : [...byKey.values()];
}
