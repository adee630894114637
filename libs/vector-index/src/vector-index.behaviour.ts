import { ValidationError } from '@weaver/errors';
import { ExactIndex } from './exact-index';
import type { VectorIndexFactory } from './vector-index';

/**
 * What every VectorIndex must do, run against each implementation by its spec. Vectors come
 * from a seeded generator, so a failure reproduces.
 */
export function seededVectors(count: number, dimensions: number, seed = 1): Float32Array[] {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
  // Eight clusters, so neighbours are meaningful rather than all nearly equidistant.
  const centres = Array.from({ length: 8 }, () => Float32Array.from({ length: dimensions }, next));
  return Array.from({ length: count }, (_, i) => Float32Array.from(centres[i % 8]!, (c) => c + 0.3 * next()));
}

/** `scoreDigits`: decimals a score must share with the exact cosine (f16 storage keeps about 2–3). */
export function behavesAsVectorIndex(make: VectorIndexFactory, options: { maxKey: bigint; scoreDigits: number }): void {
  const d = 32;

  it('finds what exact search finds (recall@10 ≥ 0.95 on 2,000 vectors), with the same cosine scores', () => {
    const vectors = seededVectors(2_000, d);
    const index = make(d, vectors.length);
    const exact = new ExactIndex(d);
    const items = vectors.map((vector, i) => ({ key: BigInt(i), vector }));
    index.upsert(items);
    exact.upsert(items);
    expect(index.size()).toBe(2_000);
    let found = 0;
    const queries = seededVectors(50, d, 99);
    for (const q of queries) {
      const expected = exact.search(q, 10);
      const got = index.search(q, 10);
      expect(got).toHaveLength(10);
      const keys = new Set(expected.map((h) => h.key));
      found += got.filter((h) => keys.has(h.key)).length;
      const exactScore = new Map(expected.map((h) => [h.key, h.score]));
      for (const hit of got) if (exactScore.has(hit.key)) expect(hit.score).toBeCloseTo(exactScore.get(hit.key)!, options.scoreDigits);
      expect(got.map((h) => h.score)).toEqual([...got.map((h) => h.score)].sort((a, b) => b - a));
    }
    expect(found / (queries.length * 10)).toBeGreaterThanOrEqual(0.95);
  });

  it('replaces the vector of a key upserted again, and keeps the last of a key repeated in one batch', () => {
    const [a, b, c] = seededVectors(3, d, 5);
    const index = make(d);
    index.upsert([{ key: 1n, vector: a! }, { key: 2n, vector: c! }]);
    index.upsert([{ key: 1n, vector: b! }]);
    expect(index.size()).toBe(2);
    expect(index.search(b!, 1)[0]).toMatchObject({ key: 1n });
    expect(index.search(b!, 1)[0]!.score).toBeCloseTo(1, options.scoreDigits);
    expect(index.search(a!, 2).find((h) => h.key === 1n)?.score ?? 0).toBeLessThan(0.999);
    index.upsert([{ key: 3n, vector: a! }, { key: 3n, vector: c! }]);
    expect(index.size()).toBe(3);
    expect(index.search(c!, 2).map((h) => h.key).sort()).toEqual([2n, 3n]);
  });

  it('forgets removed keys, ignores unknown ones, and takes a removed key back', () => {
    const vectors = seededVectors(100, d, 7);
    const index = make(d, 100);
    index.upsert(vectors.map((vector, i) => ({ key: BigInt(i), vector })));
    index.remove([10n, 11n, 12n, 5_000n]);
    expect(index.size()).toBe(97);
    const keys = index.search(vectors[10]!, 100).map((h) => h.key);
    expect(keys).toHaveLength(97);
    expect(keys).not.toEqual(expect.arrayContaining([10n]));
    expect(keys.filter((k) => k === 11n || k === 12n)).toEqual([]);
    index.upsert([{ key: 10n, vector: vectors[10]! }]);
    expect(index.size()).toBe(98);
    expect(index.search(vectors[10]!, 1)[0]).toMatchObject({ key: 10n });
    index.remove([]);
    expect(index.size()).toBe(98);
  });

  it('grows past the capacity reserved up front', () => {
    const vectors = seededVectors(1_500, d, 11);
    const index = make(d, 10);
    for (let from = 0; from < vectors.length; from += 100) index.upsert(vectors.slice(from, from + 100).map((vector, i) => ({ key: BigInt(from + i), vector })));
    expect(index.size()).toBe(1_500);
    for (const i of [0, 9, 10, 11, 700, 1_499]) expect(index.search(vectors[i]!, 1)[0]).toMatchObject({ key: BigInt(i) });
  });

  it(`keeps bigint keys exact up to ${options.maxKey} and refuses keys outside 0…${options.maxKey}`, () => {
    const [a, b] = seededVectors(2, d, 13);
    const index = make(d);
    index.upsert([{ key: options.maxKey, vector: a! }, { key: 0n, vector: b! }]);
    expect(index.search(a!, 1)[0]!.key).toBe(options.maxKey);
    expect(() => index.upsert([{ key: options.maxKey + 1n, vector: a! }])).toThrow(ValidationError);
    expect(() => index.upsert([{ key: -1n, vector: a! }])).toThrow(`items[0].key: must be a bigint from 0 to ${options.maxKey}`);
  });

  it('refuses a vector of the wrong length or with a non-finite value, naming the field and the rule', () => {
    const index = make(d);
    const [a] = seededVectors(1, d, 17);
    index.upsert([{ key: 1n, vector: a! }]);
    expect(() => index.upsert([{ key: 2n, vector: a! }, { key: 3n, vector: new Float32Array(d - 1) }])).toThrow('items[1].vector: must have 32 dimensions (the index\'s), has 31');
    expect(() => index.search(new Float32Array(d + 1), 1)).toThrow(ValidationError);
    expect(() => index.search(new Float32Array(d + 1), 1)).toThrow('query: must have 32 dimensions');
    const nan = Float32Array.from(a!);
    nan[3] = Number.NaN;
    expect(() => index.upsert([{ key: 4n, vector: nan }])).toThrow('items[0].vector[3]: must be a finite number');
    expect(() => index.search(a!, -1)).toThrow('k: must be a non-negative integer');
    expect(index.size()).toBe(1); // a refused batch stores nothing
  });

  it('answers an empty index and k = 0 with no hits, and k above the size with every vector', () => {
    const index = make(d);
    const [a, b] = seededVectors(2, d, 19);
    expect(index.search(a!, 5)).toEqual([]);
    index.upsert([{ key: 1n, vector: a! }, { key: 2n, vector: b! }]);
    expect(index.search(a!, 0)).toEqual([]);
    expect(index.search(a!, 10).map((h) => h.key)).toEqual([1n, 2n]);
  });
}
