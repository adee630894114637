import { ReconcileQueue, type WorkResult } from './reconcile-queue';

const opts = { concurrency: 2, retryBaseMs: 1, retryMaxMs: 5 };

describe('ReconcileQueue', () => {
  it('never runs one key twice at once; an event during its run queues one more run after it', async () => {
    const runs: string[] = [];
    let release: () => void = () => undefined;
    let inFlight = 0;
    let maxInFlight = 0;
    const queue = new ReconcileQueue(async (key): Promise<WorkResult> => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      runs.push(key);
      if (runs.length === 1) await new Promise<void>((r) => (release = r));
      inFlight--;
      return { next: 'done' };
    }, opts);
    queue.add('ns/a');
    queue.add('ns/a');
    queue.add('ns/a');
    release();
    while (queue.size > 0) await new Promise((r) => setImmediate(r));
    expect(maxInFlight).toBe(1);
    expect(runs).toEqual(['ns/a', 'ns/a']);
    await queue.stop();
  });

  it('retries a failed key with backoff until it succeeds', async () => {
    let tries = 0;
    const done = new Promise<void>((resolve) => {
      const queue = new ReconcileQueue(async (): Promise<WorkResult> => {
        tries++;
        if (tries < 3) throw new Error('API server away');
        resolve();
        return { next: 'done' };
      }, opts);
      queue.add('ns/b');
    });
    await done;
    expect(tries).toBe(3);
  });
});
