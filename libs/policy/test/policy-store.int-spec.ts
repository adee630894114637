import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { NotFoundError, ValidationError } from '@weaver/errors';
import { createDataSource, withTenant } from '@weaver/persistence';
import { createTestDatabase, type TestDatabase } from '@weaver/testing';
import { migrateTestDatabase, type ServiceUrls } from '@weaver/database';
import { Authorizer, MemoryAuditRecorder, POLICY_MIGRATIONS, POLICY_SCHEMA, PolicyEngine, PolicyStore } from '../src';

const FORBID_CONFIDENTIAL = 'forbid (principal, action == Weaver::Action::"result.read", resource)\nwhen { resource.level >= 2 };';

describe('PolicyStore on PostgreSQL, as the tenancy role', () => {
  let db: TestDatabase & ServiceUrls;
  let ds: DataSource;
  let store: PolicyStore;

  beforeAll(async () => {
    db = await migrateTestDatabase(await createTestDatabase(), [{ schema: POLICY_SCHEMA, migrations: POLICY_MIGRATIONS }]);
    ds = await createDataSource({ url: db.urlOf('tenancy'), schema: POLICY_SCHEMA, poolSize: 2 }).initialize();
    store = new PolicyStore(ds);
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('versions every change: put, replace and delete each bump the tenant version', async () => {
    const t = randomUUID();
    expect(await store.version(t)).toBe(0);
    expect(await store.put(t, { id: 'no-confidential', text: FORBID_CONFIDENTIAL }, 'results of confidential runs stay in')).toBe(1);
    expect(await store.put(t, { id: 'no-confidential', text: FORBID_CONFIDENTIAL.replace('>= 2', '>= 3') })).toBe(2);
    expect(await store.put(t, { id: 'other', text: 'permit (principal, action == Weaver::Action::"memory.read", resource);' })).toBe(3);
    const listed = await store.list(t);
    expect(listed.version).toBe(3);
    expect(listed.policies.map((p) => [p.id, p.text.includes('>= 3')])).toEqual([['no-confidential', true], ['other', false]]);
    expect(await store.delete(t, 'other')).toBe(4);
    await expect(store.delete(t, 'other')).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.get(t, 'other')).rejects.toBeInstanceOf(NotFoundError);
    expect((await store.get(t, 'no-confidential')).text).toContain('>= 3');
  });

  it('refuses invalid text with line:column violations and stores nothing', async () => {
    const t = randomUUID();
    const err = await store.put(t, { id: 'bad', text: 'permit (principal, action, resource)\nwhen { resource.lvel > 1 };' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).violations[0]?.field).toBe('text:2:8');
    expect(await store.list(t)).toEqual({ version: 0, policies: [] });
  });

  it('keeps tenants apart (row-level security)', async () => {
    const a = randomUUID();
    const b = randomUUID();
    await store.put(a, { id: 'mine', text: FORBID_CONFIDENTIAL });
    expect(await store.list(b)).toEqual({ version: 0, policies: [] });
    const seen = await withTenant(ds, b, (em) => em.query('SELECT policy_id FROM policy.tenant_policies'));
    expect(seen).toEqual([]);
    await expect(store.delete(b, 'mine')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('feeds the engine by version: a stored forbid is enforced, and its deletion lifts it', async () => {
    const t = randomUUID();
    const audit = new MemoryAuditRecorder();
    const authz = new Authorizer(new PolicyEngine(), store, audit);
    const req = { principal: { type: 'ApiKey' as const, id: 'k', tenantId: t, roles: ['runner'] }, action: 'result.read' as const, resource: { type: 'Result' as const, id: 'r', tenantId: t, classification: ['confidential'] } };
    expect((await authz.decide(req, { source: 'test' })).allowed).toBe(true);
    await store.put(t, { id: 'no-confidential', text: FORBID_CONFIDENTIAL });
    await authz.refresh(t);
    expect(await authz.decide(req, { source: 'test' })).toMatchObject({ allowed: false, policies: ['no-confidential'], version: 1 });
    await store.delete(t, 'no-confidential');
    await authz.refresh(t);
    expect(await authz.decide(req, { source: 'test' })).toMatchObject({ allowed: true, version: 2 });
    expect(audit.events.map((e) => e.decision)).toEqual(['allow', 'deny', 'allow']);
  });
});
