import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { NotFoundError, UnauthenticatedError, ValidationError } from '@weaver/errors';
import { createDataSource, withSettings, withTenant } from '@weaver/persistence';
import { createTestDatabase, type TestDatabase } from '@weaver/testing';
import { migrateTestDatabase, type ServiceUrls } from '@weaver/database';
import { TenantDirectory, tenancySchema } from '../src';
import { hashApiKey } from '../src/api-key';

describe('TenantDirectory on PostgreSQL, as the tenancy role', () => {
  let db: TestDatabase & ServiceUrls;
  let ds: DataSource;
  let directory: TenantDirectory;

  beforeAll(async () => {
    db = await migrateTestDatabase(await createTestDatabase(), [tenancySchema]);
    ds = await createDataSource({ url: db.urlOf('tenancy'), ...tenancySchema, poolSize: 2 }).initialize();
    directory = new TenantDirectory(ds, { resolutionTtlMs: 0 });
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('creates a tenant with a first key that resolves to it', async () => {
    const created = await directory.createTenant({ name: '  Acme  ' });
    expect(created.tenant).toMatchObject({ name: 'Acme', tier: 'standard' });
    expect(created.apiKey).toMatch(/^wv_[0-9A-Za-z]{32}$/);
    expect(await directory.resolveApiKey(created.apiKey)).toEqual({ tenantId: created.tenant.id, keyId: created.keyId, roles: ['runner'] });
    expect(await directory.getTenant(created.tenant.id)).toEqual(created.tenant);
  });

  it('stores the key hash, never the key', async () => {
    const created = await directory.createTenant({ name: 'Hashy', tier: 'isolated' });
    const rows = await withTenant(ds, created.tenant.id, (em) => em.query('SELECT key_hash, prefix FROM tenancy.api_keys')) as { key_hash: string; prefix: string }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]!.key_hash).not.toContain(created.apiKey.slice(3));
    expect(created.apiKey.startsWith(rows[0]!.prefix)).toBe(true);
  });

  it("keeps tenants apart: no tenant sees or revokes another's keys", async () => {
    const a = await directory.createTenant({ name: 'A' });
    const b = await directory.createTenant({ name: 'B' });
    const second = await directory.createApiKey(a.tenant.id, 'ci');
    const keysOf = (tenant: string) => withTenant(ds, tenant, (em) => em.query('SELECT id FROM tenancy.api_keys ORDER BY created_at')) as Promise<{ id: string }[]>;
    expect((await keysOf(a.tenant.id)).map((r) => r.id).sort()).toEqual([a.keyId, second.keyId].sort());
    expect((await keysOf(b.tenant.id)).map((r) => r.id)).toEqual([b.keyId]);
    await expect(directory.revokeApiKey(b.tenant.id, a.keyId)).rejects.toBeInstanceOf(NotFoundError);
    expect(await directory.resolveApiKey(a.apiKey)).toMatchObject({ tenantId: a.tenant.id });
    await expect(withTenant(ds, b.tenant.id, (em) => em.query('SELECT * FROM tenancy.tenants WHERE id = $1', [a.tenant.id]))).resolves.toEqual([]);
  });

  it('lets key resolution read exactly the one row with that hash', async () => {
    const a = await directory.createTenant({ name: 'Resolver' });
    const visibleWith = (hash: string) => withSettings(ds, { 'weaver.api_key_hash': hash }, (em) => em.query('SELECT id FROM tenancy.api_keys'));
    expect(await visibleWith(hashApiKey(a.apiKey))).toEqual([{ id: a.keyId }]);
    expect(await visibleWith('f'.repeat(64))).toEqual([]);
    // And nothing at all without any setting.
    expect(await ds.query('SELECT count(*)::int AS n FROM tenancy.api_keys')).toEqual([{ n: 0 }]);
  });

  it('refuses revoked, unknown and malformed keys as unauthenticated', async () => {
    const cached = new TenantDirectory(ds, { resolutionTtlMs: 60_000 });
    const t = await cached.createTenant({ name: 'Revoker' });
    await cached.resolveApiKey(t.apiKey); // now cached in this process
    await cached.revokeApiKey(t.tenant.id, t.keyId);
    await expect(cached.resolveApiKey(t.apiKey)).rejects.toBeInstanceOf(UnauthenticatedError);
    await cached.revokeApiKey(t.tenant.id, t.keyId); // twice is fine
    await expect(directory.resolveApiKey(`wv_${'A'.repeat(32)}`)).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(directory.resolveApiKey('not-a-key')).rejects.toBeInstanceOf(UnauthenticatedError);
  });

  it('names the field and rule for bad input, and 404s unknown tenants', async () => {
    await expect(directory.createTenant({ name: ' ' })).rejects.toThrow('name: must be 1-200 characters');
    await expect(directory.createTenant({ name: 'x', tier: 'gold' as never })).rejects.toThrow('tier: must be one of standard, isolated');
    await expect(directory.getTenant('nope')).rejects.toBeInstanceOf(ValidationError);
    await expect(directory.getTenant(randomUUID())).rejects.toBeInstanceOf(NotFoundError);
    await expect(directory.createApiKey(randomUUID(), 'ci')).rejects.toBeInstanceOf(NotFoundError);
  });
});
