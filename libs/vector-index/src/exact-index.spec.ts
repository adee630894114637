import { ExactIndex } from './exact-index';

describe('ExactIndex', () => {
  it('returns the nearest by cosine, best first, and forgets removed keys', () => {
    const index = new ExactIndex(3);
    index.upsert([{ key: 1n, vector: new Float32Array([1, 0, 0]) }, { key: 2n, vector: new Float32Array([0, 2, 0]) }, { key: 3n, vector: new Float32Array([1, 1, 0]) }]);
    expect(index.search(new Float32Array([3, 0.1, 0]), 2).map((h) => h.key)).toEqual([1n, 3n]);
    index.remove([1n]);
    expect(index.search(new Float32Array([3, 0.1, 0]), 1)[0]).toMatchObject({ key: 3n });
    expect(index.size()).toBe(2);
    expect(() => index.search(new Float32Array([1, 0]), 1)).toThrow('query: must have 3 dimensions (the index\'s), has 2');
  });
});
