import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { migrateTestDatabase, type ServiceUrls } from '@weaver/database';
import { createDataSource } from '@weaver/persistence';
import { createTestDatabase, type TestDatabase } from '@weaver/testing';
import { AwsKms, DataKeyCache, DataKeyStore, decodeHeader, destroyDataKeys, EnvelopeCipher, KEYS_MIGRATIONS, KEYS_SCHEMA, KeyDestroyedError, KmsError, LocalKms, rewrapDataKeys, rotateDataKey, type Kms } from '../src';

/** AWS KMS through the official SDK against moto (started by the global setup), and keys.data_keys on PostgreSQL. */
const client = { region: 'us-east-1', endpoint: process.env['WEAVER_TEST_KMS_ENDPOINT'], credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
const newKmsKey = async (): Promise<string> => {
  const kms = new KMSClient(client);
  const out = await kms.send(new CreateKeyCommand({ Description: 'weaver test KEK' }));
  kms.destroy();
  return out.KeyMetadata!.KeyId!;
};

describe('AwsKms against a KMS-compatible server (moto)', () => {
  it('wraps and unwraps a data key with the scope as encryption context', async () => {
    const kms = new AwsKms({ keyId: await newKmsKey(), client });
    const scope = { tenantId: randomUUID() };
    const dek = randomBytes(32);
    const wrapped = await kms.wrap(dek, scope);
    expect(wrapped.wrapped.includes(dek)).toBe(false);
    expect((await kms.unwrap(wrapped, scope)).equals(dek)).toBe(true);
    await expect(kms.unwrap(wrapped, { tenantId: randomUUID() })).rejects.toThrow(KmsError);
    kms.destroy();
  });

  it('names the key when KMS refuses', async () => {
    const kms = new AwsKms({ keyId: randomUUID(), client });
    await expect(kms.wrap(randomBytes(32), { tenantId: randomUUID() })).rejects.toThrow(/KMS Encrypt with .* failed/);
    kms.destroy();
  });
});

describe('keys.data_keys on PostgreSQL (lazy creation, rotation, KEK re-wrap, shredding)', () => {
  let db: TestDatabase & ServiceUrls;
  let ds: DataSource;
  let owner: DataSource;
  /** Rotation, re-wrap and shredding are tenancy's (the only role with UPDATE/DELETE on keys). */
  let tenancy: DataSource;

  beforeAll(async () => {
    db = await migrateTestDatabase(await createTestDatabase(), [{ schema: KEYS_SCHEMA, migrations: KEYS_MIGRATIONS }]);
    // A serving role (SELECT + INSERT on keys: lazy creation); rotation and shredding as tenancy would run them go through `owner`.
    ds = await createDataSource({ url: db.urlOf('agent-runner'), schema: KEYS_SCHEMA, poolSize: 8 }).initialize();
    tenancy = await createDataSource({ url: db.urlOf('tenancy'), schema: KEYS_SCHEMA, poolSize: 2 }).initialize();
    owner = await createDataSource({ url: db.ownerUrl, schema: KEYS_SCHEMA }).initialize();
  });
  afterAll(async () => {
    await ds?.destroy();
    await tenancy?.destroy();
    await owner?.destroy();
    await db?.drop();
  });

  const cipherOf = (kms: Kms): EnvelopeCipher => new EnvelopeCipher(new DataKeyCache(new DataKeyStore(ds), kms));

  it('creates one key per scope even when many processes miss at once (first writer wins)', async () => {
    const kms = new AwsKms({ keyId: await newKmsKey(), client });
    const tenantId = randomUUID();
    // Five "processes" (own caches), each sealing concurrently.
    const ciphers = Array.from({ length: 5 }, () => cipherOf(kms));
    const sealed = await Promise.all(ciphers.map((c, i) => c.seal({ tenantId }, 'p', Buffer.from(`m${i}`))));
    const rows: Array<{ n: number }> = await owner.query(`SELECT count(*)::int AS n FROM keys.data_keys WHERE tenant_id = $1`, [tenantId]);
    expect(rows[0]!.n).toBe(1);
    // Each process opens what every other one sealed.
    for (const c of ciphers) for (const [i, s] of sealed.entries()) expect((await c.open(tenantId, 'p', s)).toString()).toBe(`m${i}`);
    kms.destroy();
  });

  it('keeps keys per tenant under row-level security', async () => {
    const kms = LocalKms.open(join(mkdtempSync(join(tmpdir(), 'weaver-kms-')), 'keyring.json'));
    const [a, b] = [randomUUID(), randomUUID()];
    await cipherOf(kms).seal({ tenantId: a }, 'p', Buffer.from('x'));
    expect(await new DataKeyStore(ds).active({ tenantId: a })).toBeDefined();
    const asB: unknown[] = await ds.transaction(async (em) => {
      await em.query(`SELECT set_config('weaver.tenant_id', $1, true)`, [b]);
      return em.query(`SELECT * FROM keys.data_keys WHERE tenant_id = $1`, [a]);
    });
    expect(asB).toHaveLength(0);
  });

  it('rotates the data key (new data under v2, v1 still opens) and re-wraps under a new KEK', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'weaver-kms-')), 'keyring.json');
    const kms = LocalKms.open(file);
    const tenantId = randomUUID();
    const before = await cipherOf(kms).seal({ tenantId }, 'p', Buffer.from('old data'));
    expect(await rotateDataKey(tenancy, kms, { tenantId })).toBe(2);
    const after = await cipherOf(kms).seal({ tenantId }, 'p', Buffer.from('new data'));
    expect(decodeHeader(after).header.keyVersion).toBe(2);
    const oldKek = kms.currentKeyId;
    const newKek = kms.rotate();
    expect(await rewrapDataKeys(tenancy, kms, tenantId)).toBe(2);
    const kekIds: Array<{ kms_key_id: string; state: string }> = await owner.query(`SELECT kms_key_id, state FROM keys.data_keys WHERE tenant_id = $1 ORDER BY version`, [tenantId]);
    expect(kekIds).toEqual([{ kms_key_id: newKek, state: 'retired' }, { kms_key_id: newKek, state: 'active' }]);
    expect(oldKek).not.toBe(newKek);
    const fresh = cipherOf(LocalKms.open(file)); // a restarted process: nothing cached
    expect((await fresh.open(tenantId, 'p', before)).toString()).toBe('old data');
    expect((await fresh.open(tenantId, 'p', after)).toString()).toBe('new data');
  });

  it('shreds a subject: its data no longer opens, the tenant key is untouched', async () => {
    const kms = LocalKms.open(join(mkdtempSync(join(tmpdir(), 'weaver-kms-')), 'keyring.json'));
    const tenantId = randomUUID();
    const subject = { tenantId, subject: 'person-1' };
    const c = cipherOf(kms);
    const personal = await c.seal(subject, 'p', Buffer.from('personal'));
    const shared = await c.seal({ tenantId }, 'p', Buffer.from('shared'));
    expect(await destroyDataKeys(tenancy, subject)).toBe(1);
    const fresh = cipherOf(kms);
    await expect(fresh.open(tenantId, 'p', personal)).rejects.toThrow(KeyDestroyedError);
    await expect(fresh.seal(subject, 'p', Buffer.from('again'))).rejects.toThrow(KeyDestroyedError);
    expect((await fresh.open(tenantId, 'p', shared)).toString()).toBe('shared');
  });
});
