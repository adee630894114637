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

describe('Coalescer maxInFlightPerKey', () => {
  /** An execute that records each group and keeps it in flight until the test opens it. */
  function held() {
    const groups: Array<[string, number[]]> = [];
    const open: Array<() => void> = [];
    const execute = async (key: string, ops: number[]) => {
      groups.push([key, ops]);
      await new Promise<void>((resolve) => open.push(resolve));
      return ops.map((n) => n * 10);
    };
    return { groups, open, execute };
  }
  const settle = () => new Promise((r) => setImmediate(r));

  it("holds a key's later operations for its next group while other keys' groups run", async () => {
    const h = held();
    const c = new Coalescer<number, number>(h.execute, { maxInFlight: 4, maxInFlightPerKey: 1 });
    const results = [c.submit('a', 1), c.submit('a', 2), c.submit('b', 3), c.submit('a', 4)];
    await settle();
    expect(h.groups).toEqual([['a', [1]], ['b', [3]]]); // a's 2 and 4 wait for a's first group; b goes beside it
    h.open.shift()!();
    await settle();
    expect(h.groups[2]).toEqual(['a', [2, 4]]);
    while (h.open.length) h.open.shift()!();
    await expect(Promise.all(results)).resolves.toEqual([10, 20, 30, 40]);
  });

  it("without it, runs one key's groups side by side up to maxInFlight", async () => {
    const h = held();
    const c = new Coalescer<number, number>(h.execute, { maxInFlight: 2 });
    const results = [c.submit('a', 1), c.submit('a', 2), c.submit('a', 3)];
    await settle();
    expect(h.groups).toEqual([['a', [1]], ['a', [2]]]); // two groups of one key at once; 3 waits for a slot
    while (h.groups.length < 3 || h.open.length) {
      h.open.shift()?.();
      await settle();
    }
    await expect(Promise.all(results)).resolves.toEqual([10, 20, 30]);
  });

  it('with isolateFailures, runs a failed group again one operation at a time, so only the bad one fails', async () => {
    const calls: number[][] = [];
    const c = new Coalescer<number, number>(
      async (_k, ops) => {
        calls.push(ops);
        if (ops.includes(-1)) throw new Error('bad input in the group');
        return ops;
      },
      { maxInFlight: 1, isolateFailures: true },
    );
    const gate = c.submit('k', 0); // holds the slot so the next three form one group
    const rest = [c.submit('k', 1), c.submit('k', -1), c.submit('k', 2)].map((p) => p.then((v) => v, (e: Error) => e.message));
    await gate;
    expect(await Promise.all(rest)).toEqual([1, 'bad input in the group', 2]);
    expect(calls).toEqual([[0], [1, -1, 2], [1], [-1], [2]]);
  });

  it('with lingerMs, holds a group for company until it is full or the linger ends', async () => {
    const groups: Array<[string, number[]]> = [];
    const c = new Coalescer<number, number>(async (key, ops) => (groups.push([key, ops]), ops), { lingerMs: 5, maxBatch: 3 });
    const held = [c.submit('a', 1), c.submit('a', 2), c.submit('b', 9)];
    expect(groups).toEqual([]); // nobody went alone at once
    const full = c.submit('a', 3);
    expect(groups).toEqual([['a', [1, 2, 3]]]); // a full group does not wait
    const rest = [c.submit('a', 4), c.submit('a', 5)];
    expect(await Promise.all([...held, full, ...rest])).toEqual([1, 2, 9, 3, 4, 5]);
    expect(groups).toEqual([['a', [1, 2, 3]], ['b', [9]], ['a', [4, 5]]]);
  });
});
