import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { ResourceExhaustedError } from '@weaver/errors';
import { openServiceDatabase, withTenant } from '@weaver/persistence';
import { createTestDatabase, type TestDatabase } from '@weaver/testing';
import { migrateTestDatabase, type ServiceUrls } from '@weaver/database';
import { CAPABILITY_AUDIENCES, capabilityKeyring, CapabilityTokens, FilesystemResultStore, generateCapabilityKey, ResultPublisher, publisherSchema } from '../src';

const KEY = generateCapabilityKey('int-bytes');
const tokens = new CapabilityTokens(capabilityKeyring({ keys: [KEY.public] }, KEY.signing), { ttlSeconds: 300, audience: [CAPABILITY_AUDIENCES.publisher] });

/**
 * The `stored_bytes` quota (issue 8 §6) on real PostgreSQL and the filesystem store: counted in
 * the put's claim transaction (publisher.tenant_usage), exact across publisher replicas; a
 * refused put stores no row and leaves no object. The quota comes from a function here
 * (tenancy's GetQuotas, cached, in the service).
 */
describe('stored bytes per tenant at the publisher', () => {
  const root = mkdtempSync(join(tmpdir(), 'weaver-stored-bytes-'));
  let db: TestDatabase & ServiceUrls;
  let sources: DataSource[];
  let replicas: ResultPublisher[];
  const limits = new Map<string, number>();

  beforeAll(async () => {
    db = await migrateTestDatabase(await createTestDatabase(), [publisherSchema]);
    // Two publishers, each its own pool: two replicas on one database and one store.
    sources = await Promise.all([0, 1].map(() => openServiceDatabase({ url: db.urlOf('publisher'), ...publisherSchema, poolSize: 6 })));
    const quotas = async (tenantId: string) => ({ storedBytes: limits.get(tenantId) ?? 1_000_000 });
    replicas = sources.map((ds) => new ResultPublisher(ds, new FilesystemResultStore(root), tokens, { quotas }));
  });

  afterAll(async () => {
    await Promise.all((sources ?? []).map((s) => s.destroy()));
    await db?.drop();
    rmSync(root, { recursive: true, force: true });
  });

  const counted = (tenantId: string) =>
    withTenant(sources[0]!, tenantId, async (em) => (await em.query('SELECT stored_bytes::int AS n FROM publisher.tenant_usage WHERE tenant_id = $1', [tenantId]))[0]?.n as number | undefined);

  it('stores exactly what fits of 30 concurrent puts on two replicas, refusing the rest with the quota named', async () => {
    const tenant = randomUUID();
    limits.set(tenant, 1_000);
    const put = (i: number) => replicas[i % 2]!.put({ tenantId: tenant, runId: `run-${i}`, step: 'out', contentType: 'text/plain', data: Buffer.alloc(100, 'x') });
    const results = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => put(i)));
    const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason as ResourceExhaustedError);
    expect([results.length - refused.length, refused.length]).toEqual([10, 20]);
    for (const e of refused) {
      expect(e).toBeInstanceOf(ResourceExhaustedError);
      expect(e.details).toMatchObject({ quota: 'stored_bytes', limit: 1_000, requested: 100 });
      expect(e.message).toMatch(/^quota stored_bytes exceeded: tenant .* stores \d+ bytes of results, this one has 100 \(limit 1000\); retry after 60 s$/);
    }
    expect(await counted(tenant)).toBe(1_000);
    // No row and no object of a refused put: exactly the 10 stored are there.
    const rows = await withTenant(sources[1]!, tenant, (em) => em.query('SELECT count(*)::int AS n FROM publisher.results'));
    expect(rows).toEqual([{ n: 10 }]);
    expect(readdirSync(join(root, 'tenants', tenant, 'runs'))).toHaveLength(10);
  });

  it('counts a result once: a repeated put adds nothing; a put that alone exceeds what is left is refused, a smaller one fits', async () => {
    const tenant = randomUUID();
    limits.set(tenant, 50);
    const key = { tenantId: tenant, runId: 'r', step: 's', contentType: 'application/json' };
    await replicas[0]!.put({ ...key, data: Buffer.from('{"a":"0123456789"}') }); // 18 bytes
    await expect(replicas[1]!.put({ ...key, data: Buffer.from('{"a":"0123456789"}') })).resolves.toMatchObject({ created: false });
    expect(await counted(tenant)).toBe(18);
    const big = await replicas[0]!.put({ ...key, step: 'big', data: Buffer.alloc(33, 'y') }).catch((e: unknown) => e as ResourceExhaustedError);
    expect(big).toBeInstanceOf(ResourceExhaustedError);
    expect((big as ResourceExhaustedError).details).toMatchObject({ quota: 'stored_bytes', stored: 18, requested: 33 });
    await expect(replicas[1]!.put({ ...key, step: 'fits', data: Buffer.alloc(32, 'z') })).resolves.toMatchObject({ created: true });
    expect(await counted(tenant)).toBe(50);
    // Raising the quota lets the refused put through (its key was not kept).
    limits.set(tenant, 100);
    await expect(replicas[0]!.put({ ...key, step: 'big', data: Buffer.alloc(33, 'y') })).resolves.toMatchObject({ created: true });
    expect(await counted(tenant)).toBe(83);
  });
});
