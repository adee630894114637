import { KeyedSequencer } from './keyed-sequencer';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe('KeyedSequencer', () => {
  it('orders tasks of a key and runs other keys meanwhile', async () => {
    const seq = new KeyedSequencer();
    const log: string[] = [];
    const gate = deferred();
    const a1 = seq.run('a', async () => {
      await gate.promise;
      log.push('a1');
    });
    const a2 = seq.run('a', async () => {
      log.push('a2');
    });
    await seq.run('b', async () => {
      log.push('b1');
    });
    expect(log).toEqual(['b1']);
    gate.resolve();
    await Promise.all([a1, a2]);
    expect(log).toEqual(['b1', 'a1', 'a2']);
    await new Promise((r) => setImmediate(r));
    expect(seq.activeKeys).toBe(0);
  });

  it('keeps going after a failed task', async () => {
    const seq = new KeyedSequencer();
    const failed = seq.run('k', async () => {
      throw new Error('x');
    });
    await expect(failed).rejects.toThrow('x');
    let ran = false;
    await seq.run('k', async () => {
      ran = true;
    });
    expect(ran).toBe(true);
  });
});
