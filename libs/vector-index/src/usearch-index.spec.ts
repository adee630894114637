import { UsearchIndex } from './usearch-index';
import { behavesAsVectorIndex, seededVectors } from './vector-index.behaviour';
import { defaultVectorIndex, DEFAULT_USEARCH_TUNING } from './default-index';

describe('UsearchIndex', () => {
  describe('with the default tuning (f16 storage)', () => {
    behavesAsVectorIndex(defaultVectorIndex, { maxKey: 2n ** 64n - 2n, scoreDigits: 2 });
  });
  describe('with f32 storage', () => {
    behavesAsVectorIndex((dimensions) => new UsearchIndex(dimensions, { ...DEFAULT_USEARCH_TUNING, quantization: 'f32' }), { maxKey: 2n ** 64n - 2n, scoreDigits: 4 });
  });

  it('reuses the slots of removed vectors instead of growing', () => {
    const vectors = seededVectors(1_000, 16, 23);
    const index = new UsearchIndex(16, DEFAULT_USEARCH_TUNING);
    index.upsert(vectors.map((vector, i) => ({ key: BigInt(i), vector })));
    const capacity = index.capacity();
    for (let round = 0; round < 5; round++) {
      index.remove(vectors.map((_, i) => BigInt(round * 1_000 + i)));
      index.upsert(vectors.map((vector, i) => ({ key: BigInt((round + 1) * 1_000 + i), vector })));
    }
    expect(index.size()).toBe(1_000);
    expect(index.capacity()).toBe(capacity);
    expect(index.search(vectors[42]!, 1)[0]).toMatchObject({ key: 5_042n });
  });

  it('serialises to a buffer and comes back with the same answers, still able to grow', () => {
    const vectors = seededVectors(600, 16, 29);
    const index = new UsearchIndex(16, DEFAULT_USEARCH_TUNING);
    index.upsert(vectors.slice(0, 500).map((vector, i) => ({ key: BigInt(i), vector })));
    const copy = UsearchIndex.fromBuffer(index.toBuffer(), 16, DEFAULT_USEARCH_TUNING);
    expect(copy.size()).toBe(500);
    for (const q of vectors.slice(0, 20)) expect(copy.search(q, 5)).toEqual(index.search(q, 5));
    copy.upsert(vectors.slice(500).map((vector, i) => ({ key: BigInt(500 + i), vector })));
    expect(copy.size()).toBe(600);
    expect(copy.search(vectors[599]!, 1)[0]).toMatchObject({ key: 599n });
    expect(() => UsearchIndex.fromBuffer(index.toBuffer(), 8, DEFAULT_USEARCH_TUNING)).toThrow('dimensions');
  });

  it('is what defaultVectorIndex makes', () => {
    const index = defaultVectorIndex(8, 100);
    expect(index).toBeInstanceOf(UsearchIndex);
    expect(index.dimensions).toBe(8);
  });
});
