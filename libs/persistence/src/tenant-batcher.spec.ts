import type { Pool, PoolClient } from 'pg';
import { TenantBatcher } from './tenant-batcher';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';

/** A pool whose clients accept BEGIN/COMMIT; the executor is where the test holds batches open. */
function fakePool(): Pool {
  const client = { query: async () => ({ rows: [] }), release: () => undefined } as unknown as PoolClient;
  return { connect: async () => client } as unknown as Pool;
}

describe('TenantBatcher maxInFlightPerTenant', () => {
  it("holds a tenant's later operations for its next batch while other tenants' batches run", async () => {
    const batches: Array<{ tenant: string; ops: number[] }> = [];
    const open: Array<() => void> = [];
    const batcher = new TenantBatcher<number, number>(
      fakePool(),
      async (_client, tenant, ops) => {
        batches.push({ tenant, ops: [...ops] });
        await new Promise<void>((resolve) => open.push(resolve));
        return ops.map((op) => op * 10);
      },
      { maxInFlight: 4, maxInFlightPerTenant: 1 },
    );
    const results = [batcher.submit(A, 1)];
    await until(() => batches.length === 1);
    results.push(batcher.submit(A, 2), batcher.submit(A, 3), batcher.submit(B, 4));
    await until(() => batches.length === 2);
    // A's second and third wait for A's first batch; B's runs at once beside it.
    expect(batches).toEqual([
      { tenant: A, ops: [1] },
      { tenant: B, ops: [4] },
    ]);
    open.shift()!();
    await until(() => batches.length === 3);
    expect(batches[2]).toEqual({ tenant: A, ops: [2, 3] });
    while (open.length) open.shift()!();
    await expect(Promise.all(results)).resolves.toEqual([10, 20, 30, 40]);
  });

  it('without the option, runs a tenant\'s batches side by side up to maxInFlight', async () => {
    const batches: number[][] = [];
    const open: Array<() => void> = [];
    const batcher = new TenantBatcher<number, number>(fakePool(), async (_c, _t, ops) => {
      batches.push([...ops]);
      await new Promise<void>((resolve) => open.push(resolve));
      return [...ops];
    }, { maxInFlight: 2 });
    const results = [batcher.submit(A, 1)];
    await until(() => batches.length === 1);
    results.push(batcher.submit(A, 2));
    await until(() => batches.length === 2);
    results.push(batcher.submit(A, 3));
    expect(batches).toEqual([[1], [2]]);
    while (batches.length < 3 || open.length) {
      open.shift()?.();
      await new Promise((r) => setImmediate(r));
    }
    await expect(Promise.all(results)).resolves.toEqual([1, 2, 3]);
  });
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !check(); i++) await new Promise((r) => setImmediate(r));
  if (!check()) throw new Error('condition not reached');
}
