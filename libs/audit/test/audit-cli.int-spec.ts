import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { createDataSource } from '@weaver/persistence';
import { createTestDatabase, type TestDatabase } from '@weaver/testing';
import { migrateTestDatabase, type ServiceUrls } from '@weaver/database';
import { AUDIT_MIGRATIONS, AUDIT_SCHEMA, AuditLogWriter, AuditProofs, type AuditBundle } from '../src';
import { auditEvent, testSigningKey } from './audit-fixture';
import { tamperBundle, type BundleTamper } from './bundle-tampering';

const WEAVER_BIN = join(__dirname, '..', '..', '..', 'bin', 'weaver');
const key = testSigningKey();

/** `bin/weaver` as a user runs it, with no network configuration at all. */
function weaver(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(WEAVER_BIN, args, { env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '' }, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe('weaver audit verify <bundle.json> (offline)', () => {
  let db: TestDatabase & ServiceUrls;
  let ds: DataSource;
  let dir: string;
  let bundle: AuditBundle;
  const write = (name: string, value: unknown): string => {
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify(value, null, 2));
    return file;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'weaver-audit-cli-'));
    db = await migrateTestDatabase(await createTestDatabase(), [{ schema: AUDIT_SCHEMA, migrations: AUDIT_MIGRATIONS }]);
    ds = await createDataSource({ url: db.urlOf('tenancy'), schema: AUDIT_SCHEMA, poolSize: 2 }).initialize();
    const tenant = randomUUID();
    const writer = new AuditLogWriter(ds, { signingKey: key, checkpointEvery: 10 });
    for (let b = 0; b < 6; b++) await writer.append(Array.from({ length: 5 }, (_, j) => auditEvent(tenant, b * 5 + j)));
    bundle = await new AuditProofs(ds, [key.publicKey]).exportBundle(tenant);
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('verifies a good bundle against the published key and exits 0', async () => {
    const r = await weaver(['audit', 'verify', write('good.json', bundle), '--key', write('key.json', key.publicKey)]);
    expect(r).toMatchObject({ code: 0 });
    expect(r.stdout).toContain(`verified: tenant ${bundle.tenantId}, entries 0..29 (30), 3 checkpoint(s)`);
  });

  it.each([
    ['modify', 'seq 12: modified: entry text does not hash to its leaf hash'],
    ['delete', 'seq 12: sequence: missing (deleted?)'],
    ['reorder', 'seq 12: sequence: missing (deleted?): the next entry is seq 13'],
    ['insert', 'seq 13: inclusion: not in the tree signed by checkpoint 30'],
  ] as const)('names the seq of a %s and exits 1', async (kind, line) => {
    const r = await weaver(['audit', 'verify', write(`${kind}.json`, tamperBundle(bundle, kind as BundleTamper, 12)), '--key', write('key.json', key.publicKey)]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('NOT verified');
    expect(r.stdout).toContain(line);
  });

  it('refuses a bundle signed by another key than the trusted one, and says which key it trusted without --key', async () => {
    const other = { keyId: 'x', jwk: { kty: 'OKP', crv: 'Ed25519', x: Buffer.alloc(32, 7).toString('base64url') } };
    const r = await weaver(['audit', 'verify', write('good.json', bundle), '--key', write('other.json', other)]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('checkpoint 30: signature: signed with key');
    const own = await weaver(['audit', 'verify', write('good.json', bundle), '--json']);
    expect(own.code).toBe(0);
    expect(JSON.parse(own.stdout)).toMatchObject({ ok: true, trustedKey: false, keyIds: [key.keyId], issues: [] });
  });
});
