import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { DataKeyCache, DataKeyStore, EnvelopeCipher, LocalKms } from '@weaver/crypto';
import { IDEMPOTENCY_RESPONSE_PURPOSE, RedisResponseCache, ROUTER_MIGRATIONS, ROUTER_SCHEMA, tenantCachePrefix, type RoutedResult } from '@weaver/model-router';
import { openServiceDatabase, withTenant } from '@weaver/persistence';
import { capabilityKeyring, CapabilityTokens, FilesystemResultStore, generateCapabilityKey, objectKeyOf, publisherSchema, ResultPublisher } from '@weaver/publisher-core';
import { RunStore, RUNS_MIGRATIONS, RUNS_SCHEMA, type StepMemoryWrites } from '@weaver/runs';
import { TenantDirectory, tenancySchema } from '@weaver/tenancy-core';
import { createTestDatabase, type TestDatabase } from '@weaver/testing';
import { migrateTestDatabase, type DatabaseService, type ServiceUrls } from '@weaver/database';
import { DATABASE_SCHEMAS } from '@weaver/migrate';
// eslint-disable-next-line @nx/enforce-module-boundaries -- tests use the repo's Redis tool
import { startRedis, type RunningRedis } from '../../../tools/redis/src';
import { PartyData, tenantTables } from '../src';

const testKeyring = () => {
  const key = generateCapabilityKey('privacy-test');
  return capabilityKeyring({ keys: [key.public] }, key.signing);
};

const cached: RoutedResult = {
  content: 'cached answer', toolCalls: [], finishReason: 'stop', model: 'm', provider: 'p', inputTokens: 1, outputTokens: 1,
  costUsd: 0.1, replayed: false, cached: false, experiment: '', arm: '', fallbacksTried: [],
};

/**
 * Export and erasure (issue 8 §7) on real PostgreSQL (every Weaver schema, migrated), the
 * filesystem result store and a real redis-server, with data written through the real stores:
 * a subject's export holds exactly its data; erasing a subject leaves the tenant's other
 * subjects; erasing a tenant leaves no row of it in any tenant table and other tenants whole.
 */
describe('PartyData: export and erasure', () => {
  const root = mkdtempSync(join(tmpdir(), 'weaver-privacy-'));
  let db: TestDatabase & ServiceUrls;
  let redis: RunningRedis;
  let cache: RedisResponseCache;
  let sources: DataSource[] = [];
  let runsDs: DataSource;
  let owner: Pool;
  let party: PartyData;
  let cipher: EnvelopeCipher;
  let publisher: ResultPublisher;
  let acme: string;
  let globex: string;
  const runs = { alice: randomUUID(), bob: randomUUID(), globex: randomUUID() };

  beforeAll(async () => {
    db = await migrateTestDatabase(await createTestDatabase(), DATABASE_SCHEMAS);
    redis = await startRedis();
    // Each store as its own service's role, as the services run them.
    const open = (service: DatabaseService, s: Pick<Parameters<typeof openServiceDatabase>[0], 'schema' | 'migrations' | 'entities'>) => openServiceDatabase({ url: db.urlOf(service), poolSize: 2, ...s });
    const [tenancyDs, r, publisherDs, routerDs] = await Promise.all([
      open('tenancy', tenancySchema),
      open('agent-runner', { schema: RUNS_SCHEMA, migrations: RUNS_MIGRATIONS }),
      open('publisher', publisherSchema),
      open('router', { schema: ROUTER_SCHEMA, migrations: ROUTER_MIGRATIONS }),
    ]);
    sources = [tenancyDs, r, publisherDs, routerDs];
    runsDs = r;
    owner = new Pool({ connectionString: db.ownerUrl, max: 2 });
    // Encryption on, as in the services: what is stored is sealed, the export must open it.
    cipher = new EnvelopeCipher(new DataKeyCache(new DataKeyStore(runsDs), LocalKms.open(join(root, 'keyring.json'))));
    cache = new RedisResponseCache(redis.url, undefined, cipher);
    const store = new FilesystemResultStore(join(root, 'results'));
    publisher = new ResultPublisher(publisherDs, store, new CapabilityTokens(testKeyring(), { ttlSeconds: 300, audience: ['weaver:publisher.GetResult'] }), { cipher });
    party = new PartyData({ pool: owner, results: store, cache, cipher });

    const directory = new TenantDirectory(tenancyDs);
    acme = (await directory.createTenant({ name: 'acme' })).tenant.id;
    globex = (await directory.createTenant({ name: 'globex' })).tenant.id;
    const store_ = new RunStore(runsDs, { cipher });
    // The step's short-term memory, written with the step (as the runner does).
    const memoryOf = (canary: string): StepMemoryWrites => ({
      agent: 'writer',
      classification: ['internal'],
      caps: { shortTermItems: 100, longTermBytes: 1 << 20, episodicItems: 100, semanticBytes: 1 << 20 },
      shortTerm: [{ key: 'draft', value: `${canary}-memory`, bytes: 20, expiresAt: new Date(Date.now() + 3_600_000) }],
      longTerm: [],
      episodes: [],
      facts: [],
    });
    const write = async (tenantId: string, runId: string, subjectId: string, canary: string) => {
      await store_.createRun(tenantId, { runId, workflow: 'wf', input: { note: `${canary}-input` }, subjectId, status: 'running' });
      const at = new Date();
      await store_.recordStep(tenantId, runId, { step: 'write', agent: 'writer', status: 'completed', attempt: 1, inputEventId: `${runId}:e`, output: { text: `${canary}-output` }, startedAt: at, finishedAt: at }, subjectId, memoryOf(canary));
      await publisher.put({ tenantId, runId, step: 'write', subjectId, contentType: 'application/json', data: Buffer.from(JSON.stringify({ text: `${canary}-result` })) });
      const response = await cipher.sealJson({ tenantId }, IDEMPOTENCY_RESPONSE_PURPOSE, { content: `${canary}-llm` });
      await withTenant(routerDs, tenantId, (em) =>
        em.query(`INSERT INTO router.idempotency_records (tenant_id, idempotency_key, request_hash, status, response) VALUES ($1, $2, 'h', 'completed', $3)`, [tenantId, `${tenantId}/${runId}/write/0`, JSON.stringify(response)]),
      );
    };
    await write(acme, runs.alice, 'alice', 'CANARY-ALICE');
    await write(acme, runs.bob, 'bob', 'CANARY-BOB');
    await write(globex, runs.globex, 'alice', 'CANARY-GLOBEX'); // the same subject id in another tenant is another person
    await cache.set(`${tenantCachePrefix(acme)}k1`, cached, 600);
    await cache.set(`${tenantCachePrefix(globex)}k1`, cached, 600);
  }, 120_000);

  afterAll(async () => {
    await cache?.close();
    await owner?.end();
    await Promise.all(sources.map((s) => s.destroy()));
    redis?.stop();
    await db?.drop();
    rmSync(root, { recursive: true, force: true });
  });

  /** Every row of `tenantId` in every tenant table, read as the superuser (no RLS in the way). */
  async function everything(tenantId: string): Promise<string> {
    const su = new Pool({ connectionString: db.ownerUrl, max: 1 });
    const client = await su.connect();
    try {
      const parts: string[] = [];
      for (const t of await tenantTables(client)) {
        if (t.name.startsWith('keys.')) continue; // key tombstones: checked on their own
        const col = t.name === 'tenancy.tenants' ? 'id' : 'tenant_id';
        const { rows } = await client.query(`SELECT * FROM ${t.name} WHERE ${col} = $1`, [tenantId]);
        if (rows.length) parts.push(`${t.name}: ${JSON.stringify(rows)}`);
      }
      return parts.join('\n');
    } finally {
      client.release();
      await su.end();
    }
  }

  it('exports a subject\'s data and nothing of the tenant\'s other subjects', async () => {
    const bundle = await party.export({ tenantId: acme, subjectId: 'alice' });
    expect(bundle.format).toBe('weaver.export.v1');
    const text = JSON.stringify(bundle);
    for (const what of ['input', 'output', 'memory', 'result', 'llm']) expect(text).toContain(`CANARY-ALICE-${what}`);
    expect(text).not.toContain('CANARY-BOB');
    expect(text).not.toContain('CANARY-GLOBEX');
    expect(Object.keys(bundle.tables).sort()).toEqual(['publisher.results', 'router.idempotency_records', 'runs.memory_short_term', 'runs.runs', 'runs.steps']);
    expect(bundle.results).toEqual([{ uri: `weaver://results/${acme}/${runs.alice}/write`, contentType: 'application/json', json: { text: 'CANARY-ALICE-result' } }]);
    // The bundle is opened content; what is stored is sealed (no canary in any raw row).
    expect(await everything(acme)).not.toContain('CANARY');
  });

  /** The tenant's stored-bytes counter (publisher.tenant_usage), as the superuser reads it. */
  async function storedBytes(tenantId: string): Promise<number | undefined> {
    const su = new Pool({ connectionString: db.ownerUrl, max: 1 });
    try {
      const { rows } = await su.query<{ n: string }>('SELECT stored_bytes::text AS n FROM publisher.tenant_usage WHERE tenant_id = $1', [tenantId]);
      return rows[0] ? Number(rows[0].n) : undefined;
    } finally {
      await su.end();
    }
  }
  const resultBytes = (canary: string) => Buffer.byteLength(JSON.stringify({ text: `${canary}-result` }));

  it('erases a subject: its rows and objects are gone, the tenant\'s other subjects and other tenants are untouched', async () => {
    expect(await storedBytes(acme)).toBe(resultBytes('CANARY-ALICE') + resultBytes('CANARY-BOB'));
    const report = await party.erase({ tenantId: acme, subjectId: 'alice' });
    // Its results' bytes came off the tenant's stored-bytes counter; bob's still count.
    expect(await storedBytes(acme)).toBe(resultBytes('CANARY-BOB'));
    expect(report.rowsDeleted).toEqual({ 'publisher.results': 1, 'router.idempotency_records': 1, 'runs.memory_short_term': 1, 'runs.steps': 1, 'runs.runs': 1 });
    expect(report.objectsDeleted).toBe(1);
    expect(report.keysDestroyed).toBe(1); // alice's key: anything of hers left elsewhere (Kafka, backups) no longer opens
    expect(await everything(acme)).not.toContain(runs.alice);
    const tenantNow = JSON.stringify(await party.export({ tenantId: acme }));
    expect(tenantNow).not.toContain('CANARY-ALICE');
    expect(tenantNow).toContain('CANARY-BOB-output');
    expect(existsSync(join(root, 'results', objectKeyOf({ tenantId: acme, runId: runs.alice, step: 'write' })))).toBe(false);
    expect(existsSync(join(root, 'results', objectKeyOf({ tenantId: acme, runId: runs.bob, step: 'write' })))).toBe(true);
    expect(JSON.stringify(await party.export({ tenantId: globex }))).toContain('CANARY-GLOBEX-output');
    expect(await new RunStore(runsDs).getRun(acme, runs.alice)).toBeUndefined();
    // Erasing again finds nothing and is not an error.
    expect((await party.erase({ tenantId: acme, subjectId: 'alice' })).rowsDeleted).toEqual({});
  });

  it('erases a tenant: no row of it in any tenant table, no object, no cached answer; other tenants whole', async () => {
    const report = await party.erase({ tenantId: acme });
    expect(report.rowsDeleted['tenancy.tenants']).toBe(1);
    expect(report.rowsDeleted['publisher.tenant_usage']).toBe(1);
    expect(await storedBytes(acme)).toBeUndefined();
    expect(await storedBytes(globex)).toBe(resultBytes('CANARY-GLOBEX'));
    expect(report.cacheEntriesDeleted).toBe(1);
    expect(await everything(acme)).toBe('');
    // Its keys are tombstones: no wrapped key bytes left (crypto-shredding), versions never reused.
    const keys = await owner.query(`SELECT state, wrapped_key FROM keys.data_keys WHERE tenant_id = $1`, [acme]);
    expect(keys.rows.length).toBeGreaterThan(0);
    expect(keys.rows.every((k: { state: string; wrapped_key: unknown }) => k.state === 'destroyed' && k.wrapped_key === null)).toBe(true);
    expect(existsSync(join(root, 'results', 'tenants', acme))).toBe(false); // no object, and no directory named after it
    expect(await cache.get(`${tenantCachePrefix(acme)}k1`)).toBeUndefined();
    expect(await cache.get(`${tenantCachePrefix(globex)}k1`)).toEqual(cached);
    const other = JSON.stringify(await party.export({ tenantId: globex }));
    for (const what of ['input', 'output', 'memory', 'result', 'llm']) expect(other).toContain(`CANARY-GLOBEX-${what}`);
    expect(existsSync(join(root, 'results', objectKeyOf({ tenantId: globex, runId: runs.globex, step: 'write' })))).toBe(true);
  });

  it('names the field and rule of a bad party', async () => {
    const { checkParty } = await import('../src');
    expect(() => checkParty({ tenantId: 'acme' })).toThrow(/tenantId: must be a tenant UUID/);
    expect(() => checkParty({ tenantId: acme, subjectId: 'has space' })).toThrow(/subjectId/);
  });
});
