import { FailureThrottle, TokenBuckets } from './index';

describe('TokenBuckets', () => {
  it('admits a burst, then one per 1/rate seconds, per key, and says when the next token comes', () => {
    let now = 0;
    const buckets = new TokenBuckets(() => now);
    const limit = { ratePerSecond: 2, burst: 3 };
    expect([1, 2, 3].map(() => buckets.take('t1', limit).ok)).toEqual([true, true, true]);
    expect(buckets.take('t1', limit)).toEqual({ ok: false, retryAfterMs: 500 });
    expect(buckets.take('t2', limit).ok).toBe(true); // another tenant has its own bucket
    now = 250;
    expect(buckets.take('t1', limit)).toEqual({ ok: false, retryAfterMs: 250 });
    now = 500;
    expect(buckets.take('t1', limit).ok).toBe(true);
    expect(buckets.take('t1', limit).ok).toBe(false);
    now = 10_000; // refills to the burst, not beyond
    expect([1, 2, 3, 4].map(() => buckets.take('t1', limit).ok)).toEqual([true, true, true, false]);
  });

  it('refuses everything at rate 0 once the burst is spent', () => {
    const buckets = new TokenBuckets(() => 0);
    expect(buckets.take('t', { ratePerSecond: 0, burst: 1 }).ok).toBe(true);
    expect(buckets.take('t', { ratePerSecond: 0, burst: 1 })).toEqual({ ok: false, retryAfterMs: 60_000 });
  });
});

describe('FailureThrottle', () => {
  let now = 0;
  const throttle = () => new FailureThrottle({ maxFailures: 3, windowMs: 10_000, blockMs: 30_000 }, () => now);
  beforeEach(() => (now = 0));

  it('blocks a key after N failures in the window, then forgets it when the block is over', () => {
    const t = throttle();
    t.fail(['ip:1']);
    t.fail(['ip:1']);
    expect(t.check(['ip:1'])).toEqual({ blocked: false });
    expect(t.state('ip:1')).toBe('counting');
    now = 1_000;
    t.fail(['ip:1']);
    expect(t.state('ip:1')).toBe('blocked');
    expect(t.check(['ip:2', 'ip:1'])).toEqual({ blocked: true, retryAfterMs: 30_000 });
    now = 20_000;
    t.fail(['ip:1']); // failing while blocked does not extend the block
    expect(t.check(['ip:1'])).toEqual({ blocked: true, retryAfterMs: 11_000 });
    now = 31_000;
    expect(t.check(['ip:1'])).toEqual({ blocked: false });
    expect(t.state('ip:1')).toBe('forgotten');
  });

  it('counts failures only inside the window', () => {
    const t = throttle();
    t.fail(['k']);
    t.fail(['k']);
    now = 10_000; // window over: the count starts again
    t.fail(['k']);
    t.fail(['k']);
    expect(t.state('k')).toBe('counting');
    t.fail(['k']);
    expect(t.state('k')).toBe('blocked');
  });

  it('counts a failure against every key given (address and key prefix)', () => {
    const t = throttle();
    for (const ip of ['a', 'b', 'c']) t.fail([`ip:${ip}`, 'prefix:wv_abcd']);
    expect(t.check(['ip:d', 'prefix:wv_abcd']).blocked).toBe(true);
    expect(t.check(['ip:a', 'prefix:wv_other']).blocked).toBe(false);
  });
});
