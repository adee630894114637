/**
 * The tenancy service as region "b" (WEAVER_REGION=b, WEAVER_REGION_PEERS=a) over real gRPC,
 * Kafka and PostgreSQL: it publishes its tenants to its directory topic and refuses, with the
 * home region named, a key of a tenant that region "a"'s directory (the mirrored topic
 * `a.<ns>.weaver.directory.v1`, written here as MirrorMaker 2 would) says lives in "a". The
 * MirrorMaker hop itself is libs/tenancy-core/test/regions.int-spec.ts. With the audit trail on,
 * it publishes the checkpoints it signs and stores region a's that verify (AUDIT_PEER_KEY_IDS).
 */
import { createHash, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { auditPublicKeyOf, auditRecordsOf, checkpointRecordsOf, decodeCheckpointRecord, loadAuditSigningKey, signCheckpoint, type AuditSigningKey } from '@weaver/audit';
import { GRPC_SERVICES, type tenancy } from '@weaver/contracts';
import { migrateTestDatabase, type ServiceUrls } from '@weaver/database';
import { FailedPreconditionError } from '@weaver/errors';
import { DATABASE_SCHEMAS } from '@weaver/migrate';
import { EventProducer, TopicNames, createKafka, provisionTopics, readTopicsUntil, type KafkaConnection } from '@weaver/messaging';
import { createDataSource, withTenant } from '@weaver/persistence';
import { grpcClient, mutualTlsAs, startServiceForTest, unary, type GrpcClientHandle, type RunningService } from '@weaver/service-kit';
import { decodeDirectoryRecord, encodeDirectoryRecord } from '@weaver/tenancy-core';
import { createTestDatabase, testTlsEnv, type TestDatabase } from '@weaver/testing';

import { tenancyConfigSchema, type TenancyConfig } from '../src/tenancy.config';
import { TenancyModule } from '../src/tenancy.module';
// eslint-disable-next-line @nx/enforce-module-boundaries -- a test fixture shared between specs (test code, not a library export)
import { auditEvent } from '../../../libs/audit/test/audit-fixture';

function freshKey(): AuditSigningKey {
  const { privateKey } = generateKeyPairSync('ed25519');
  const publicKey = auditPublicKeyOf(privateKey);
  return { keyId: publicKey.keyId, privateKey, publicKey };
}

jest.setTimeout(120_000);

describe('tenancy as region b', () => {
  const names = new TopicNames(`tr${randomBytes(4).toString('hex')}`);
  let db: TestDatabase & ServiceUrls;
  let svc: RunningService<TenancyConfig>;
  let grpc: GrpcClientHandle<tenancy.TenancyServiceClient>;
  let kafka: KafkaConnection;
  let producer: EventProducer;
  let ds: DataSource;
  const keyFile = process.env['WEAVER_TEST_AUDIT_KEY_FILE'] ?? '';
  const peerKey = freshKey();

  beforeAll(async () => {
    db = await migrateTestDatabase(await createTestDatabase(), DATABASE_SCHEMAS);
    const brokers = process.env['WEAVER_TEST_KAFKA_BROKERS'] ?? '';
    kafka = createKafka({ brokers: [brokers], clientId: 'tenancy-region-spec' });
    await provisionTopics(kafka, names.platform(3));
    const audit = { AUDIT_ENABLED: 'true', AUDIT_SIGNING_KEY_FILE: keyFile, AUDIT_CHECKPOINT_EVERY: '1', AUDIT_PEER_KEY_IDS: `a:${peerKey.keyId}` };
    svc = await startServiceForTest({
      service: 'tenancy',
      module: TenancyModule,
      configSchema: tenancyConfigSchema,
      grpc: [GRPC_SERVICES.tenancy],
      env: { DATABASE_URL: db.urlOf('tenancy'), DATABASE_POOL_SIZE: '3', API_KEY_CACHE_TTL_MS: '0', KAFKA_BROKERS: brokers, KAFKA_NAMESPACE: names.namespace, WEAVER_REGION: 'b', WEAVER_REGION_PEERS: 'a', ...audit, ...testTlsEnv('tenancy') },
    });
    grpc = grpcClient<tenancy.TenancyServiceClient>(GRPC_SERVICES.tenancy, svc.grpcUrl!, mutualTlsAs('gateway', testTlsEnv('gateway')));
    producer = new EventProducer(kafka);
    ds = await createDataSource({ url: db.urlOf('tenancy'), schema: 'audit', poolSize: 1 }).initialize();
  });

  afterAll(async () => {
    grpc?.close();
    await svc?.close();
    await producer?.disconnect();
    await ds?.destroy();
    await db?.drop();
  });

  it('refuses to start with peers but no region of its own', async () => {
    const start = startServiceForTest({ service: 'tenancy', module: TenancyModule, configSchema: tenancyConfigSchema, env: { DATABASE_URL: db.urlOf('tenancy'), WEAVER_REGION_PEERS: 'a', ...testTlsEnv('tenancy') } });
    await expect(start).rejects.toThrow(/WEAVER_REGION: is required when WEAVER_REGION_PEERS is set/);
  });

  it('refuses to start with the audit trail and a peer whose checkpoint key id is not configured', async () => {
    const env = { DATABASE_URL: db.urlOf('tenancy'), KAFKA_BROKERS: '127.0.0.1:1', WEAVER_REGION: 'b', WEAVER_REGION_PEERS: 'a,c', AUDIT_ENABLED: 'true', AUDIT_SIGNING_KEY_FILE: '/nonexistent', AUDIT_PEER_KEY_IDS: `a:${'k'.repeat(43)}`, ...testTlsEnv('tenancy') };
    const start = startServiceForTest({ service: 'tenancy', module: TenancyModule, configSchema: tenancyConfigSchema, env });
    await expect(start).rejects.toThrow(/AUDIT_PEER_KEY_IDS: must name a checkpoint key id for every peer region with AUDIT_ENABLED \(missing: c\)/);
  });

  it('publishes a tenant created here to its directory topic, homed in b, with key hashes only', async () => {
    const created = await unary(grpc.client.createTenant({ name: 'Bee Ltd' }));
    const tenantId = created.tenant!.tenantId;
    const [record] = await readTopicsUntil(kafka, [names.directory], (rs) => rs.some((r) => r.key === tenantId), 30_000);
    const decoded = decodeDirectoryRecord(record!.value);
    expect(decoded).toMatchObject({ tenantId, homeRegion: 'b', servedBy: 'b', servingEpoch: 0 });
    expect(decoded.keys).toHaveLength(1);
    expect(record!.value.toString('utf8')).not.toContain(created.apiKey);
  });

  it('refuses a key of a tenant homed in a with FAILED_PRECONDITION naming region a', async () => {
    const apiKey = `wv_${randomBytes(24).toString('base64').replace(/[^0-9A-Za-z]/g, '').padEnd(32, 'x').slice(0, 32)}`;
    const tenantId = randomUUID();
    const record = {
      v: 1 as const, tenantId, name: 'Aye AG', tier: 'standard' as const, homeRegion: 'a', servedBy: 'a', servingEpoch: 0, createdAt: new Date().toISOString(),
      keys: [{ keyId: randomUUID(), name: 'default', prefix: apiKey.slice(0, 7), keyHash: createHash('sha256').update(apiKey).digest('hex'), roles: ['runner'], revoked: false }],
    };
    await producer.send([{ topic: `a.${names.directory}`, key: tenantId, value: encodeDirectoryRecord(record) }]);
    const error = await (async () => {
      for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
        const e: unknown = await unary(grpc.client.resolveApiKey({ apiKey })).then(() => undefined, (err: unknown) => err);
        if (e instanceof FailedPreconditionError) return e;
      }
      throw new Error('the key was never refused with FAILED_PRECONDITION');
    })();
    expect(error.message).toBe(`tenant ${tenantId} is served by its home region "a", not by this region "b"; send its requests to region "a"`);
    expect(error.details).toMatchObject({ reason: 'TENANT_IN_OTHER_REGION', homeRegion: 'a' });
  });

  it('publishes the audit checkpoints it signs, and stores region a\'s that verify but not a forged one', async () => {
    const own = randomUUID();
    await producer.send(auditRecordsOf([auditEvent(own, 0)], names));
    const published = await readTopicsUntil(kafka, [names.auditCheckpoints], (rs) => rs.some((r) => r.key === own), 60_000);
    const record = published.find((r) => r.key === own)!;
    expect(record.headers).toMatchObject({ 'weaver-region': 'b' });
    expect(decodeCheckpointRecord(record.value)).toMatchObject({ region: 'b', checkpoint: { tenantId: own, treeSize: 1, keyId: loadAuditSigningKey(keyFile).keyId } });

    const peers = randomUUID();
    const body = { tenantId: peers, treeSize: 5, rootHash: 'ab'.repeat(32), chainHash: 'cd'.repeat(32), signedAt: new Date().toISOString() };
    const forged = checkpointRecordsOf([signCheckpoint({ ...body, treeSize: 6 }, freshKey())], `a.${names.auditCheckpoints}`, 'a', freshKey().publicKey);
    const genuine = checkpointRecordsOf([signCheckpoint(body, peerKey)], `a.${names.auditCheckpoints}`, 'a', peerKey.publicKey);
    // Same key, same partition: once the genuine one (sent second) is stored, the forged one was handled.
    await producer.send(forged);
    await producer.send(genuine);
    const sizes = async () => ((await withTenant(ds, peers, (em) => em.query('SELECT tree_size FROM audit.remote_checkpoints'))) as { tree_size: string }[]).map((r) => Number(r.tree_size));
    for (const deadline = Date.now() + 30_000; !(await sizes()).includes(5); await new Promise((r) => setTimeout(r, 200))) {
      if (Date.now() > deadline) throw new Error("region a's checkpoint was never stored");
    }
    expect(await sizes()).toEqual([5]);
  });
});
