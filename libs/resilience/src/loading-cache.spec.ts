import { LoadingCache } from './loading-cache';

describe('LoadingCache', () => {
  it('shares one load between concurrent misses and keeps the value for the TTL', async () => {
    let now = 0;
    const loads: string[] = [];
    const cache = new LoadingCache(async (k) => (loads.push(k), `v${loads.length}`), 100, 10, () => now);
    expect(await Promise.all([cache.get('a'), cache.get('a'), cache.get('a')])).toEqual(['v1', 'v1', 'v1']);
    now = 99;
    expect(await cache.get('a')).toBe('v1');
    now = 100;
    expect(await cache.get('a')).toBe('v2');
    expect(loads).toEqual(['a', 'a']);
  });

  it('does not keep a failed load, takes remembered values, and drops the oldest past the bound', async () => {
    let fail = true;
    let n = 0;
    const cache = new LoadingCache(async (k) => {
      n++;
      if (fail) throw new Error(`down for ${k}`);
      return k.toUpperCase();
    }, 1_000, 2);
    await expect(cache.get('a')).rejects.toThrow('down for a');
    fail = false;
    expect(await cache.get('a')).toBe('A');
    cache.remember('b', 'known');
    expect(await cache.get('b')).toBe('known');
    await cache.get('c'); // bound 2: 'a' (oldest) goes
    expect(n).toBe(3);
    await cache.get('a');
    expect(n).toBe(4);
    cache.forget('c');
    await cache.get('c');
    expect(n).toBe(5);
  });
});
