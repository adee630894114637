import { type Observable, defer } from 'rxjs';
import type { tenancy } from '@weaver/contracts';
import { UnavailableError } from '@weaver/errors';
import { QuotaCache } from './quota-cache';

const Q = (tokensPerDay: number): tenancy.Quotas => ({ runsPerSecond: 1, runBurst: 1, concurrentRuns: 1, tokensPerDay, storedBytes: 1, budgetUsd: 1 });

/** An in-memory tenancy client: counts GetQuotas calls, answers what `answer` says (or fails). */
function fakeTenancy(answer: (tenantId: string, n: number) => tenancy.Quotas | Error) {
  const calls: string[] = [];
  const client = {
    getQuotas: (req: tenancy.GetQuotasRequest): Observable<tenancy.GetQuotasResponse> =>
      defer(async () => {
        calls.push(req.tenantId);
        const a = answer(req.tenantId, calls.length);
        if (a instanceof Error) throw a;
        return { quotas: a, overrides: undefined };
      }),
  };
  return { client: client as unknown as Pick<tenancy.TenancyServiceClient, 'getQuotas'>, calls };
}

describe('QuotaCache', () => {
  it('asks tenancy once per tenant per TTL; concurrent misses share the call', async () => {
    let now = 0;
    const t = fakeTenancy((_, n) => Q(n));
    const cache = new QuotaCache(t.client, 1_000, () => now);
    const [a, b] = await Promise.all([cache.get('t1'), cache.get('t1')]);
    expect([a.tokensPerDay, b.tokensPerDay, t.calls.length]).toEqual([1, 1, 1]);
    now = 999;
    expect((await cache.get('t1')).tokensPerDay).toBe(1);
    now = 1_000;
    expect((await cache.get('t1')).tokensPerDay).toBe(2);
    cache.forget('t1');
    expect((await cache.get('t1')).tokensPerDay).toBe(3);
  });

  it('does not cache a failed lookup, and keeps at most maxEntries tenants', async () => {
    let fail = true;
    const t = fakeTenancy(() => (fail ? new UnavailableError('tenancy is down') : Q(7)));
    const cache = new QuotaCache(t.client, 60_000, Date.now, 2);
    await expect(cache.get('t1')).rejects.toThrow('tenancy is down');
    fail = false;
    expect((await cache.get('t1')).tokensPerDay).toBe(7);
    await cache.get('t2');
    await cache.get('t3'); // t1 (the oldest) goes
    const before = t.calls.length;
    await cache.get('t3');
    await cache.get('t1');
    expect(t.calls.length - before).toBe(1);
  });
});

