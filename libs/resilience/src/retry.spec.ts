import { backoffMs, retry } from './retry';

class Transient extends Error {
  readonly retriable = true;
  constructor(readonly retryAfter?: number) {
    super('transient');
  }
}

describe('retry', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('retries retriable errors with full-jitter exponential backoff until success', async () => {
    const waits: number[] = [];
    let calls = 0;
    const p = retry(
      async () => {
        calls++;
        if (calls < 4) throw new Transient();
        return 'done';
      },
      { attempts: 5, baseMs: 100, maxMs: 250, random: () => 0.5, onRetry: (_e, _a, w) => waits.push(w) },
    );
    await jest.runAllTimersAsync();
    await expect(p).resolves.toBe('done');
    // caps 100, 200, 250 (maxMs), halved by random 0.5
    expect(waits).toEqual([50, 100, 125]);
  });

  it('stops at the attempt limit and rethrows the last error', async () => {
    let calls = 0;
    const p = retry(() => Promise.reject(new Transient(++calls)), { attempts: 3, baseMs: 10, maxMs: 10 });
    const assertion = expect(p).rejects.toMatchObject({ retryAfter: 3 });
    await jest.runAllTimersAsync();
    await assertion;
    expect(calls).toBe(3);
  });

  it('does not retry errors that are not retriable', async () => {
    let calls = 0;
    const p = retry(
      async () => {
        calls++;
        throw new Error('bad input');
      },
      { attempts: 5, baseMs: 10, maxMs: 10 },
    );
    await expect(p).rejects.toThrow('bad input');
    expect(calls).toBe(1);
  });

  it('waits at least as long as the server asked (Retry-After)', async () => {
    const waits: number[] = [];
    let calls = 0;
    const p = retry(
      async () => {
        if (++calls === 1) throw new Transient(2000);
        return calls;
      },
      {
        attempts: 2,
        baseMs: 10,
        maxMs: 100,
        retryAfterMs: (e) => (e as Transient).retryAfter,
        onRetry: (_e, _a, w) => waits.push(w),
      },
    );
    await jest.advanceTimersByTimeAsync(1999);
    expect(calls).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    await expect(p).resolves.toBe(2);
    expect(waits).toEqual([2000]);
  });

  it('computes capped exponential backoff without jitter', () => {
    expect([1, 2, 3, 4, 5].map((a) => backoffMs(a, { baseMs: 50, maxMs: 300, jitter: 'none' }))).toEqual([50, 100, 200, 300, 300]);
  });
});
