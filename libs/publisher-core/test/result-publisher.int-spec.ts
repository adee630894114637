import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { NotFoundError, PermissionDeniedError, ValidationError } from '@weaver/errors';
import { openServiceDatabase, withTenant } from '@weaver/persistence';
import { createTestDatabase, type TestDatabase } from '@weaver/testing';
import { migrateTestDatabase, type ServiceUrls } from '@weaver/database';
import { CapabilityTokens, FilesystemResultStore, ResultPublisher, objectKeyOf, publisherSchema } from '../src';

const SECRET = 'test-secret-test-secret-test-secret!';

describe('ResultPublisher on PostgreSQL and the filesystem store', () => {
  const root = mkdtempSync(join(tmpdir(), 'weaver-publisher-'));
  let db: TestDatabase & ServiceUrls;
  let ds: DataSource;
  let publisher: ResultPublisher;
  const tokens = new CapabilityTokens(SECRET, 300);
  const tenant = randomUUID();

  const rowsOf = (t: string, runId: string) =>
    withTenant(ds, t, (em) => em.query('SELECT step, sha256 FROM publisher.results WHERE run_id = $1', [runId])) as Promise<{ step: string; sha256: string }[]>;

  beforeAll(async () => {
    db = await migrateTestDatabase(await createTestDatabase(), [publisherSchema]);
    ds = await openServiceDatabase({ url: db.urlOf('publisher'), ...publisherSchema, poolSize: 6 });
    publisher = new ResultPublisher(ds, new FilesystemResultStore(root), tokens);
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
    rmSync(root, { recursive: true, force: true });
  });

  it('stores a result once: a second put returns the first ref, one object, one row', async () => {
    const key = { tenantId: tenant, runId: 'run-1', step: 'draft' };
    const first = await publisher.put({ ...key, contentType: 'application/json', data: Buffer.from('{"v":1}'), classification: ['pii'] });
    expect(first.created).toBe(true);
    expect(first.ref).toMatchObject({ uri: `weaver://results/${tenant}/run-1/draft`, contentType: 'application/json', sizeBytes: 7 });
    const again = await publisher.put({ ...key, contentType: 'application/json', data: Buffer.from('{"v":2, "retry": true}') });
    expect(again.created).toBe(false);
    expect({ ...again.ref, capabilityToken: '' }).toEqual({ ...first.ref, capabilityToken: '' });
    expect(readFileSync(join(root, objectKeyOf(key)), 'utf8')).toBe('{"v":1}');
    expect(readdirSync(join(root, `tenants/${tenant}/runs/run-1`))).toEqual(['draft']);
    expect(await rowsOf(tenant, 'run-1')).toEqual([{ step: 'draft', sha256: first.ref.sha256 }]);
  });

  it('lets exactly one of many concurrent puts of the same key win', async () => {
    const key = { tenantId: tenant, runId: 'run-race', step: 'answer' };
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => publisher.put({ ...key, contentType: 'text/plain', data: Buffer.from(`attempt ${n}`) })));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.ref.sha256)).size).toBe(1);
    const got = await publisher.get({ tenantId: tenant, uri: results[0]!.ref.uri, capabilityToken: results[0]!.ref.capabilityToken });
    expect(got.data.toString()).toBe(`attempt ${results.findIndex((r) => r.created) + 1}`);
    expect(await rowsOf(tenant, 'run-race')).toHaveLength(1);
  });

  it('rolls the claim back when the object cannot be written, so a retry stores it', async () => {
    const blocked = join(root, 'not-a-dir');
    writeFileSync(blocked, 'a file where the store wants a directory');
    const broken = new ResultPublisher(ds, new FilesystemResultStore(blocked), tokens);
    const key = { tenantId: tenant, runId: 'run-crash', step: 's1', contentType: 'text/plain', data: Buffer.from('x') };
    await expect(broken.put(key)).rejects.toThrow(/ENOTDIR/);
    expect(await rowsOf(tenant, 'run-crash')).toEqual([]);
    expect((await publisher.put(key)).created).toBe(true);
  });

  it('serves a result only to its tenant with a valid token', async () => {
    const { ref } = await publisher.put({ tenantId: tenant, runId: 'run-2', step: 'final', contentType: 'text/plain', data: Buffer.from('hello') });
    const got = await publisher.get({ tenantId: tenant, uri: ref.uri, capabilityToken: ref.capabilityToken });
    expect(got.data.toString()).toBe('hello');
    expect(got.ref).toEqual(ref);

    const other = randomUUID();
    await expect(publisher.get({ tenantId: other, uri: ref.uri, capabilityToken: ref.capabilityToken })).rejects.toBeInstanceOf(PermissionDeniedError);
    // A token minted (with the real secret) for another tenant still cannot read this tenant's row.
    await expect(publisher.get({ tenantId: other, uri: ref.uri, capabilityToken: tokens.issue(other, ref.uri) })).rejects.toBeInstanceOf(PermissionDeniedError);
    expect(await rowsOf(other, 'run-2')).toEqual([]);
    const signatureStart = ref.capabilityToken.lastIndexOf('.') + 1;
    const flipped = ref.capabilityToken[signatureStart + 5] === 'A' ? 'B' : 'A';
    const tampered = ref.capabilityToken.slice(0, signatureStart + 5) + flipped + ref.capabilityToken.slice(signatureStart + 6);
    await expect(publisher.get({ tenantId: tenant, uri: ref.uri, capabilityToken: tampered })).rejects.toBeInstanceOf(PermissionDeniedError);
    const expired = new CapabilityTokens(SECRET, 1, () => Date.now() - 5_000).issue(tenant, ref.uri);
    await expect(publisher.get({ tenantId: tenant, uri: ref.uri, capabilityToken: expired })).rejects.toThrow('capability token has expired');
  });

  it('names bad fields, and 404s a never-stored result', async () => {
    await expect(publisher.put({ tenantId: 'x', runId: 'r', step: '../s', contentType: 'nope', data: Buffer.alloc(0) })).rejects.toThrow(
      /tenant_id: must be a UUID; step: .*; content_type: must be a MIME type/,
    );
    const uri = `weaver://results/${tenant}/never/stored`;
    await expect(publisher.get({ tenantId: tenant, uri, capabilityToken: tokens.issue(tenant, uri) })).rejects.toBeInstanceOf(NotFoundError);
    await expect(publisher.get({ tenantId: tenant, uri: 'http://evil', capabilityToken: '' })).rejects.toBeInstanceOf(ValidationError);
  });
});
