import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { DataKeyCache, DataKeyStore, EnvelopeCipher, KeyDestroyedError, LocalKms } from '@weaver/crypto';
import { createKafka, decodeEnvelope, EnvelopeSealer, readTopicsToEnd, SEALED_CONTENT_TYPE, TopicNames, type InboundRecord, type KafkaConnection } from '@weaver/messaging';
import { RedisResponseCache } from '@weaver/model-router';
import { createDataSource } from '@weaver/persistence';
import { PartyData } from '@weaver/privacy';
import { createResultStore } from '@weaver/publisher-core';
import { type RunningStack, startTestStack } from '@weaver/stack';
// eslint-disable-next-line @nx/enforce-module-boundaries -- this file starts its own S3-compatible server and Redis (dev tools)
import { startRedis, type RunningRedis } from '../tools/redis/src';
// eslint-disable-next-line @nx/enforce-module-boundaries -- as above
import { startS3Proxy, type RunningS3Proxy } from '../tools/s3proxy/src/s3proxy';
import { filesContaining } from '@weaver/testing';

/**
 * The proof of issue 8 items 4 and 7, end to end: the whole stack (six service processes, on by
 * default: per-tenant envelope encryption with a local keyring the stack made), the publisher
 * on an S3-compatible server (S3Proxy, filesystem backend) and the router's Redis response
 * cache on. Runs carry canary strings in their input (and a data subject); they go through the
 * real pipeline: run input, step outputs, LLM prompts and answers (the deterministic model
 * echoes its prompt: idempotency records, cached answers), the result and its published object,
 * every Kafka payload. Then PostgreSQL is CHECKPOINTed, Redis SAVEd, and the PostgreSQL data
 * directory (WAL included), the S3 server's storage, the Redis dump/AOF and the broker's log
 * segments are scanned for the canary bytes: none. (Joins and agent memory are not in this
 * workflow: libs/agent-runtime/test/encryption-canary.int-spec.ts scans those, with a control
 * run that finds the canary when encryption is off.)
 *
 * Then one subject and one tenant are erased with PartyData: their rows and objects are gone,
 * their Kafka records (which nobody can delete) no longer open (KeyDestroyedError), and another
 * tenant's data still reads and its new runs complete.
 *
 * The broker is the test run's shared one: its log directory (WEAVER_TEST_KAFKA_DIR) is scanned
 * whole, other files' records included — they must not hold this file's random canaries either.
 */
const PG_DIR = process.env['WEAVER_TEST_PG_DIR']!;
const KAFKA_DIR = process.env['WEAVER_TEST_KAFKA_DIR']!;
const shift = Number(process.env['WEAVER_E2E_PORT_SHIFT'] ?? 0);

interface RunView {
  runId: string;
  status: string;
  result: unknown;
  resultUri?: string | null;
  subjectId?: string | null;
}


describe('canary scan of the whole stack, then erasure (crypto-shredding) of a subject and a tenant', () => {
  const work = mkdtempSync(join(tmpdir(), 'weaver-canary-e2e-'));
  const s3Dir = join(work, 's3');
  const redisDir = join(work, 'redis');
  const bucket = `weaver-canary-${randomUUID().slice(0, 8)}`;
  let s3: RunningS3Proxy;
  let redis: RunningRedis;
  let stack: RunningStack & { namespace: string };
  let kafka: KafkaConnection;
  let owner: Pool;
  let ds: DataSource;
  let acme: { tenantId: string; apiKey: string };
  let globex: { tenantId: string; apiKey: string };
  let initech: { tenantId: string; apiKey: string };
  const canary = `canary-${randomBytes(8).toString('hex')}`;
  const subject = `person-${randomBytes(4).toString('hex')}`;
  const runs: Record<'acmeSubject' | 'acmePlain' | 'globex' | 'initech', string> = { acmeSubject: '', acmePlain: '', globex: '', initech: '' };

  const http = (path: string, key: string, init: RequestInit = {}) =>
    fetch(`${stack.gatewayUrl}${path}`, { ...init, headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...init.headers } });

  async function start(key: string, topic: string, subjectId?: string): Promise<string> {
    const res = await http('/v1/runs', key, { method: 'POST', body: JSON.stringify({ workflow: 'content-pipeline', input: { topic }, ...(subjectId ? { subjectId } : {}) }) });
    expect(res.status).toBe(202);
    return ((await res.json()) as { run: { runId: string } }).run.runId;
  }

  async function finished(key: string, runId: string): Promise<RunView> {
    const deadline = Date.now() + 90_000;
    for (;;) {
      const res = await http(`/v1/runs/${runId}`, key);
      if (res.status === 200) {
        const { run } = (await res.json()) as { run: RunView };
        if (run.status === 'completed' || run.status === 'failed') return run;
      }
      if (Date.now() > deadline) throw new Error(`run ${runId} did not finish`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  beforeAll(async () => {
    s3 = await startS3Proxy({ port: 23090 + shift, dataDir: s3Dir, backend: 'filesystem' });
    mkdirSync(redisDir, { recursive: true }); // redis-server needs its --dir to exist
    redis = await startRedis({ port: 23091 + shift, persistence: { dir: redisDir } });
    const s3Env = { RESULT_STORE: 's3', S3_ENDPOINT: s3.endpoint, S3_BUCKET: bucket, S3_ACCESS_KEY_ID: s3.accessKeyId, S3_SECRET_ACCESS_KEY: s3.secretAccessKey, S3_CREATE_BUCKET: 'true' };
    stack = await startTestStack('canary-scan', { env: { publisher: s3Env, router: { REDIS_URL: redis.url } } });
    kafka = createKafka({ brokers: process.env['WEAVER_TEST_KAFKA_BROKERS']!.split(','), clientId: 'canary-e2e' });
    owner = new Pool({ connectionString: stack.ownerUrl, max: 3 });
    ds = await createDataSource({ url: stack.ownerUrl, schema: 'keys', poolSize: 2, applicationName: 'canary-e2e' }).initialize();
    acme = await stack.createTenant('acme');
    globex = await stack.createTenant('globex');
    initech = await stack.createTenant('initech');
  }, 240_000);

  afterAll(async () => {
    await ds?.destroy();
    await owner?.end();
    await stack?.stop();
    await redis?.stop();
    await s3?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  /** A cipher that has never seen a key: what a new process (or an attacker with the database and the KMS) gets. */
  const freshSealer = (): EnvelopeSealer => new EnvelopeSealer(new EnvelopeCipher(new DataKeyCache(new DataKeyStore(ds), LocalKms.open(stack.keyringFile))));

  async function recordsOf(runIds: readonly string[]): Promise<InboundRecord[]> {
    const names = new TopicNames(stack.namespace);
    const topics = [names.triggers, names.runs, ...['content.requested', 'content.researched', 'content.drafted', 'content.reviewed'].map((t) => names.event(t))];
    return (await readTopicsToEnd(kafka, topics, 60_000)).filter((r) => runIds.includes(decodeEnvelope(r).runId));
  }

  it('runs with canaries complete, and no canary is readable in PostgreSQL, S3, Redis or Kafka', async () => {
    runs.acmeSubject = await start(acme.apiKey, `${canary} acme subject`, subject);
    runs.acmePlain = await start(acme.apiKey, `${canary} acme tenant`);
    runs.globex = await start(globex.apiKey, `${canary} globex`);
    runs.initech = await start(initech.apiKey, `${canary} initech`);
    // The same input again: the router answers from its (Redis) cache this time.
    const cachedRun = await start(initech.apiKey, `${canary} initech`);
    for (const [key, id] of [[acme.apiKey, runs.acmeSubject], [acme.apiKey, runs.acmePlain], [globex.apiKey, runs.globex], [initech.apiKey, runs.initech], [initech.apiKey, cachedRun]] as const) {
      const run = await finished(key, id);
      expect(run).toMatchObject({ status: 'completed' });
      // Readers get plaintext back through the services' cipher.
      expect(JSON.stringify(run.result)).toContain(canary);
    }
    // The paths really carried data: a published object per run, cached answers, idempotency records.
    const redisClient = new Redis(redis.url);
    try {
      expect((await redisClient.keys('weaver:router:cache:v1:*')).length).toBeGreaterThan(0);
      expect(await redisClient.save()).toBe('OK'); // the dump on disk, besides the AOF
    } finally {
      redisClient.disconnect();
    }
    const counts = await owner.query<{ results: number; records: number; keys: number }>(
      `SELECT (SELECT count(*)::int FROM publisher.results) AS results, (SELECT count(*)::int FROM router.idempotency_records) AS records, (SELECT count(*)::int FROM keys.data_keys) AS keys`,
    );
    expect(counts.rows[0]!.results).toBe(5);
    expect(counts.rows[0]!.records).toBeGreaterThanOrEqual(15);
    expect(counts.rows[0]!.keys).toBe(4); // three tenant keys and one subject key, made lazily
    const sealed = await recordsOf([runs.acmeSubject, runs.globex]);
    expect(sealed.filter((r) => decodeEnvelope(r).contentType === SEALED_CONTENT_TYPE).length).toBeGreaterThan(8);

    await owner.query('CHECKPOINT');
    const needle = Buffer.from(canary, 'utf8');
    expect(existsSync(join(redisDir, 'dump.rdb'))).toBe(true);
    expect(readdirSync(join(s3Dir, 'blobs', bucket), { recursive: true }).length).toBeGreaterThan(0);
    const found = { postgres: filesContaining(PG_DIR, needle), s3: filesContaining(s3Dir, needle), redis: filesContaining(redisDir, needle), kafka: filesContaining(KAFKA_DIR, needle) };
    expect(found).toEqual({ postgres: [], s3: [], redis: [], kafka: [] });
  });

  it('erases a subject and a tenant: rows and objects gone, their Kafka records no longer open, other data untouched', async () => {
    const results = await createResultStore({
      RESULT_STORE: 's3',
      RESULT_STORE_ROOT: '.',
      S3_ENDPOINT: s3.endpoint,
      S3_REGION: 'us-east-1',
      S3_BUCKET: bucket,
      S3_ACCESS_KEY_ID: s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      S3_CREATE_BUCKET: false,
    });
    const cache = new RedisResponseCache(redis.url);
    try {
      const data = new PartyData({ pool: owner, results, cache });
      const bySubject = await data.erase({ tenantId: acme.tenantId, subjectId: subject });
      expect(bySubject).toMatchObject({ objectsDeleted: 1, keysDestroyed: 1, keysVacuumed: true, rowsDeleted: expect.objectContaining({ 'runs.runs': 1 }) });
      const tenant = await data.erase({ tenantId: globex.tenantId });
      expect(tenant).toMatchObject({ objectsDeleted: 1, keysDestroyed: 1, keysVacuumed: true, rowsDeleted: expect.objectContaining({ 'runs.runs': 1, 'tenancy.tenants': 1 }) });
      expect(tenant.cacheEntriesDeleted).toBeGreaterThan(0);
    } finally {
      await cache.close();
      results.destroy?.();
    }

    // Rows and objects of the erased parties are gone; what remains of their keys is a tombstone.
    const left = await owner.query<{ runs: number; results: number }>(
      `SELECT (SELECT count(*)::int FROM runs.runs WHERE run_id = ANY($1::uuid[])) AS runs, (SELECT count(*)::int FROM publisher.results WHERE run_id = ANY($1::text[])) AS results`,
      [[runs.acmeSubject, runs.globex]],
    );
    expect(left.rows[0]).toEqual({ runs: 0, results: 0 });
    const keys = await owner.query<{ tenant_id: string; subject: string | null; state: string; wrapped: boolean }>(
      `SELECT tenant_id, subject, state, wrapped_key IS NOT NULL AS wrapped FROM keys.data_keys WHERE tenant_id = ANY($1::uuid[]) ORDER BY tenant_id, subject NULLS FIRST`,
      [[acme.tenantId, globex.tenantId]],
    );
    expect(keys.rows).toEqual(
      expect.arrayContaining([
        { tenant_id: acme.tenantId, subject: null, state: 'active', wrapped: true },
        { tenant_id: acme.tenantId, subject, state: 'destroyed', wrapped: false },
        { tenant_id: globex.tenantId, subject: null, state: 'destroyed', wrapped: false },
      ]),
    );
    const objects = readdirSync(join(s3Dir, 'blobs', bucket), { recursive: true }).map(String);
    expect(objects.some((p) => p.includes(globex.tenantId))).toBe(false);
    expect(objects.some((p) => p.includes(runs.acmeSubject))).toBe(false);
    expect(objects.some((p) => p.includes(runs.acmePlain))).toBe(true);

    // Kafka keeps every record of the erased runs (nobody can delete them), but none opens any more.
    const sealer = freshSealer();
    const erased = (await recordsOf([runs.acmeSubject, runs.globex])).filter((r) => decodeEnvelope(r).contentType === SEALED_CONTENT_TYPE);
    expect(erased.length).toBeGreaterThan(8);
    for (const record of erased) await expect(sealer.openRecord(record)).rejects.toBeInstanceOf(KeyDestroyedError);
    // The other runs' records (acme's own key, initech) still open, with the canary inside.
    const kept = (await recordsOf([runs.acmePlain, runs.initech])).filter((r) => decodeEnvelope(r).contentType === SEALED_CONTENT_TYPE);
    expect(kept.length).toBeGreaterThan(8);
    for (const record of kept) await expect(sealer.openRecord(record)).resolves.toBeDefined();
    expect((await Promise.all(kept.map(async (r) => Buffer.from(decodeEnvelope(await sealer.openRecord(r)).payload ?? new Uint8Array()).toString('utf8')))).some((p) => p.includes(canary))).toBe(true);

    // Other data still reads and new runs still complete — acme's own (its tenant key survived) and initech's.
    expect((await finished(acme.apiKey, runs.acmePlain)).result).toMatchObject({ topic: `${canary} acme tenant` });
    expect((await finished(initech.apiKey, await start(initech.apiKey, 'after the erasure'))).status).toBe('completed');
    expect((await finished(acme.apiKey, await start(acme.apiKey, 'acme after the erasure', `${subject}-other`))).status).toBe('completed');
  });

  it('control: the same scan finds the canary everywhere when encryption is off (the scan looks where the data is)', async () => {
    await stack.stop();
    const off = { WEAVER_ENCRYPTION: 'off' };
    const plainBucket = `${bucket}-plain`;
    const s3Env = { RESULT_STORE: 's3', S3_ENDPOINT: s3.endpoint, S3_BUCKET: plainBucket, S3_ACCESS_KEY_ID: s3.accessKeyId, S3_SECRET_ACCESS_KEY: s3.secretAccessKey, S3_CREATE_BUCKET: 'true' };
    stack = await startTestStack('canary-scan-cold', { env: { gateway: off, 'agent-runner': off, publisher: { ...off, ...s3Env }, router: { ...off, REDIS_URL: redis.url } } });
    const plain = `canary-off-${randomBytes(8).toString('hex')}`;
    const tenant = await stack.createTenant('plain');
    expect((await finished(tenant.apiKey, await start(tenant.apiKey, plain))).status).toBe('completed');
    const redisClient = new Redis(redis.url);
    try {
      expect(await redisClient.save()).toBe('OK');
    } finally {
      redisClient.disconnect();
    }
    const control = new Pool({ connectionString: stack.ownerUrl, max: 1 });
    try {
      await control.query('CHECKPOINT');
    } finally {
      await control.end();
    }
    const needle = Buffer.from(plain, 'utf8');
    const found = { postgres: filesContaining(PG_DIR, needle), s3: filesContaining(s3Dir, needle), redis: filesContaining(redisDir, needle), kafka: filesContaining(KAFKA_DIR, needle) };
    expect(found.postgres.length).toBeGreaterThan(0);
    expect(found.s3.length).toBeGreaterThan(0);
    expect(found.redis.length).toBeGreaterThan(0);
    expect(found.kafka.length).toBeGreaterThan(0);
  }, 240_000);
});
