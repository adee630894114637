import { Coalescer, OperationFailed } from './coalescer';

describe('Coalescer', () => {
  it('goes at once when idle, groups what arrives while a group is in flight, per key, in order', async () => {
    const groups: Array<[string, number[]]> = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const c = new Coalescer<number, number>(
      async (key, ops) => {
        groups.push([key, ops]);
        if (groups.length === 1) await gate; // hold the first group in flight
        return ops.map((n) => n * 10);
      },
      { maxInFlight: 1 },
    );
    const first = c.submit('a', 1);
    const later = [c.submit('a', 2), c.submit('b', 3), c.submit('a', 4)];
    expect(groups).toEqual([['a', [1]]]); // the first did not wait for company
    release();
    expect(await Promise.all([first, ...later])).toEqual([10, 20, 30, 40]);
    expect(groups).toEqual([['a', [1]], ['a', [2, 4]], ['b', [3]]]);
  });

  it('fails one operation alone when execute says so, and the whole group when execute throws', async () => {
    const c = new Coalescer<number, number>(async (_key, ops) => {
      if (ops.includes(99)) throw new Error('group down');
      return ops.map((n) => (n < 0 ? new OperationFailed(new Error(`bad ${n}`)) : n));
    });
    await expect(c.submit('k', -1)).rejects.toThrow('bad -1');
    await expect(c.submit('k', 5)).resolves.toBe(5);
    await expect(c.submit('k', 99)).rejects.toThrow('group down');
  });

  it('bounds a group to maxBatch operations', async () => {
    const sizes: number[] = [];
    const c = new Coalescer<number, number>(async (_k, ops) => (sizes.push(ops.length), ops), { maxInFlight: 1, maxBatch: 2 });
    await Promise.all([1, 2, 3, 4, 5].map((n) => c.submit('k', n)));
    expect(sizes).toEqual([1, 2, 2]);
  });
});
