import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { migrateTestDatabase, type ServiceUrls } from '@weaver/database';
import { createDataSource } from '@weaver/persistence';
import { dataKeyTokenKeys, detokenise, parsePiiPolicy, PiiScanner } from '@weaver/pii';
import { createTestDatabase, type TestDatabase } from '@weaver/testing';
import { DataKeyCache, DataKeyStore, destroyDataKeys, KEYS_MIGRATIONS, KEYS_SCHEMA, LocalKms, rotateDataKey, type Kms } from '../src';

/**
 * @weaver/pii's reversible tokens under the tenants' real data keys (keys.data_keys on
 * PostgreSQL, LocalKms): tokens open for their tenant in another process, not for another
 * tenant, survive a data-key rotation, and are shredded with the tenant's keys. The spec lives
 * here, not in libs/pii, because @weaver/pii must not depend on @weaver/crypto (the logger in
 * @weaver/observability uses pii, and crypto depends on observability).
 */
describe('PII tokens under tenant data keys (PostgreSQL)', () => {
  let db: TestDatabase & ServiceUrls;
  let runner: DataSource;
  let tenancy: DataSource;
  let kms: Kms;
  const scanner = new PiiScanner();
  const policy = parsePiiPolicy({ default: 'tokenise' });
  const TEXT = 'Customer Anna Weber (anna.weber@example.com, +49 30 1234567) wants the refund on DE89 3704 0044 0532 0130 00.';

  beforeAll(async () => {
    db = await migrateTestDatabase(await createTestDatabase(), [{ schema: KEYS_SCHEMA, migrations: KEYS_MIGRATIONS }]);
    runner = await createDataSource({ url: db.urlOf('agent-runner'), schema: KEYS_SCHEMA, poolSize: 4 }).initialize();
    tenancy = await createDataSource({ url: db.urlOf('tenancy'), schema: KEYS_SCHEMA, poolSize: 2 }).initialize();
    kms = LocalKms.open(join(mkdtempSync(join(tmpdir(), 'weaver-kms-')), 'keyring.json'));
  });
  afterAll(async () => {
    await runner?.destroy();
    await tenancy?.destroy();
    await db?.drop();
  });

  /** A process: its own cache over the shared key table. */
  const processKeys = () => dataKeyTokenKeys(new DataKeyCache(new DataKeyStore(runner), kms));

  it('opens a tenant’s tokens in another process and never under another tenant', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const writer = processKeys();
    const masked = await scanner.apply(TEXT, policy, { tenantId: a, keys: writer });
    expect(masked.findings.map((f) => f.type).sort()).toEqual(['email', 'iban', 'person', 'phone']);
    for (const value of ['Anna Weber', 'anna.weber', '1234567', 'DE89']) expect(masked.text).not.toContain(value);
    const reader = processKeys();
    expect(await detokenise(masked.text, a, reader)).toBe(TEXT);
    await scanner.apply('x anna@example.com', policy, { tenantId: b, keys: reader }); // b gets its own data key
    expect(await detokenise(masked.text, b, reader)).toBe(masked.text);
  });

  it('keeps old tokens readable after a data-key rotation and shreds them with the tenant’s keys', async () => {
    const tenantId = randomUUID();
    const before = await scanner.apply(TEXT, policy, { tenantId, keys: processKeys() });
    expect(await rotateDataKey(tenancy, kms, { tenantId })).toBe(2);
    const after = await scanner.apply(TEXT, policy, { tenantId, keys: processKeys() });
    expect(after.text).not.toBe(before.text);
    expect(await detokenise(`${before.text}\n${after.text}`, tenantId, processKeys())).toBe(`${TEXT}\n${TEXT}`);
    expect(await destroyDataKeys(tenancy, { tenantId })).toBe(2);
    expect(await detokenise(before.text, tenantId, processKeys())).toBe(before.text);
    expect(await detokenise(after.text, tenantId, processKeys())).toBe(after.text);
  });
});
