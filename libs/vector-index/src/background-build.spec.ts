import { ValidationError } from '@weaver/errors';
import { buildInBackground } from './background-build';
import { DEFAULT_USEARCH_TUNING } from './default-index';
import { ExactIndex } from './exact-index';
import { seededVectors } from './vector-index.behaviour';

describe('buildInBackground', () => {
  const d = 24;
  const flat = (vectors: Float32Array[]): Float32Array => {
    const out = new Float32Array(vectors.length * d);
    vectors.forEach((v, i) => out.set(v, i * d));
    return out;
  };

  it('builds on a worker thread an index that answers like exact search, and keeps growing afterwards', async () => {
    const vectors = seededVectors(1_500, d, 31);
    const keys = BigUint64Array.from(vectors, (_, i) => BigInt(1_000_000 + i));
    const index = await buildInBackground(d, keys, flat(vectors), { ...DEFAULT_USEARCH_TUNING, addThreads: 2 });
    expect(index.size()).toBe(1_500);
    const exact = new ExactIndex(d);
    exact.upsert(vectors.map((vector, i) => ({ key: keys[i]!, vector })));
    let found = 0;
    const queries = seededVectors(30, d, 37);
    for (const q of queries) {
      const expected = new Set(exact.search(q, 10).map((h) => h.key));
      found += index.search(q, 10).filter((h) => expected.has(h.key)).length;
    }
    expect(found / (queries.length * 10)).toBeGreaterThanOrEqual(0.95);
    const [extra] = seededVectors(1, d, 41);
    index.upsert([{ key: 7n, vector: extra! }]);
    index.remove([keys[0]!]);
    expect(index.size()).toBe(1_500);
    expect(index.search(extra!, 1)[0]).toMatchObject({ key: 7n });
  });

  it('refuses duplicate keys, a short matrix and non-finite values before starting the worker', async () => {
    const vectors = flat(seededVectors(3, d, 43));
    await expect(buildInBackground(d, BigUint64Array.of(1n, 2n, 1n), vectors)).rejects.toThrow('keys[2]: must be unique (keys[0] is the same)');
    await expect(buildInBackground(d, BigUint64Array.of(1n, 2n, 3n), vectors.subarray(1))).rejects.toThrow(ValidationError);
    const bad = Float32Array.from(vectors);
    bad[d + 2] = Number.POSITIVE_INFINITY;
    await expect(buildInBackground(d, BigUint64Array.of(1n, 2n, 3n), bad)).rejects.toThrow('vectors[1][2]: must be a finite number');
    expect((await buildInBackground(d, new BigUint64Array(0), new Float32Array(0))).size()).toBe(0);
  });
});
