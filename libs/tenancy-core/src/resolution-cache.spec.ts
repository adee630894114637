import { ResolutionCache } from './resolution-cache';

describe('ResolutionCache', () => {
  let now = 0;
  const clock = () => now;
  const a = { tenantId: 't1', keyId: 'k1', roles: ['runner'] };
  const b = { tenantId: 't2', keyId: 'k2', roles: ['runner'] };

  beforeEach(() => {
    now = 1_000;
  });

  it('serves an entry until its TTL passes', () => {
    const cache = new ResolutionCache(100, 10, clock);
    cache.set('h1', a);
    now += 99;
    expect(cache.get('h1')).toEqual(a);
    now += 1;
    expect(cache.get('h1')).toBeUndefined();
  });

  it('forgets a revoked key at once', () => {
    const cache = new ResolutionCache(100, 10, clock);
    cache.set('h1', a);
    cache.set('h2', b);
    cache.forgetWhere((v) => v.keyId === 'k1');
    expect(cache.get('h1')).toBeUndefined();
    expect(cache.get('h2')).toEqual(b);
  });

  it('evicts the oldest entry when full, and caches nothing with TTL 0', () => {
    const cache = new ResolutionCache(100, 2, clock);
    cache.set('h1', a);
    cache.set('h2', b);
    cache.set('h3', a);
    expect(cache.get('h1')).toBeUndefined();
    expect(cache.get('h3')).toEqual(a);
    const off = new ResolutionCache(0, 2, clock);
    off.set('h1', a);
    expect(off.get('h1')).toBeUndefined();
  });
});
