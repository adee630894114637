/**
 * Two regions for real (docs/regions.md): region A is the suite's broker and PostgreSQL server,
 * region B a second broker and a second PostgreSQL server started here (once for the file), and
 * Kafka's own MirrorMaker 2 between them. Ports of B: WEAVER_TEST_REGION_B_KAFKA_PORT (22692),
 * WEAVER_TEST_REGION_B_PG_PORT (22732).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { migrateTestDatabase, type ServiceUrls } from '@weaver/database';
import { EventProducer, TopicNames, createKafka, listTopics, provisionTopics, readTopicsToEnd, readTopicsUntil, type BatchConsumer, type KafkaConnection } from '@weaver/messaging';
import { createLogger } from '@weaver/observability';
import { createDataSource, withTenant } from '@weaver/persistence';
import { createTestDatabase, type TestDatabase } from '@weaver/testing';
// eslint-disable-next-line @nx/enforce-module-boundaries -- tools/kafka and tools/postgres are dev tools, not Nx projects (as in the global setup)
import { startBroker, stopBroker } from '../../../tools/kafka/src/broker';
// eslint-disable-next-line @nx/enforce-module-boundaries -- tools/kafka and tools/postgres are dev tools, not Nx projects (as in the global setup)
import { startMirrorMaker, type RunningMirrorMaker } from '../../../tools/kafka/src/mirror-maker';
// eslint-disable-next-line @nx/enforce-module-boundaries -- tools/kafka and tools/postgres are dev tools, not Nx projects (as in the global setup)
import { startPostgres, stopPostgres } from '../../../tools/postgres/src/embedded';
// eslint-disable-next-line @nx/enforce-module-boundaries -- a test fixture shared between specs (test code, not a library export)
import { auditEvent } from '../../audit/test/audit-fixture';
import { databaseMentions, eventually } from './region-checks';
import { checkpointReplica, forgedCheckpointRecords, freshSigningKey, regionChainer, remoteCheckpoints, type CheckpointReplica } from './region-audit';
import { AUDIT_MIGRATIONS, AUDIT_SCHEMA, auditRecordsOf, verifyStoredLog, type AuditChainer } from '@weaver/audit';
import { DirectoryPublisher, TenantDirectory, TenantInOtherRegionError, adoptTenantsOf, failoverRegion, startDirectoryReplication, tenancySchema } from '../src';

jest.setTimeout(240_000);

const root = join(__dirname, '..', '..', '..', '.weaver', 'test', `region-b-${process.pid}`);
const kafkaPortB = Number(process.env['WEAVER_TEST_REGION_B_KAFKA_PORT'] ?? 22_692);
const pgPortB = Number(process.env['WEAVER_TEST_REGION_B_PG_PORT'] ?? 22_732);
const logger = createLogger('regions-spec', { level: 'warn' });

interface Region {
  name: string;
  db: TestDatabase & ServiceUrls;
  ds: DataSource;
  kafka: KafkaConnection;
  producer: EventProducer;
  publisher: DirectoryPublisher;
  directory: TenantDirectory;
  replication?: BatchConsumer;
}

describe('two regions: home-region pinning, directory over MirrorMaker 2, failover', () => {
  const names = new TopicNames(`rg${randomBytes(4).toString('hex')}`);
  let a: Region;
  let b: Region;
  let pgBUrl: string;
  let mm2: RunningMirrorMaker | undefined;
  const keyA = freshSigningKey();
  let chainerA: AuditChainer;
  let replicaB: CheckpointReplica;

  async function region(name: string, superuserUrl: string, brokers: string): Promise<Region> {
    const db = await migrateTestDatabase(await createTestDatabase(superuserUrl), [tenancySchema, { schema: AUDIT_SCHEMA, migrations: AUDIT_MIGRATIONS }]);
    const ds = await createDataSource({ url: db.urlOf('tenancy'), ...tenancySchema, poolSize: 2 }).initialize();
    const kafka = createKafka({ brokers: [brokers], clientId: `regions-${name}` });
    const producer = new EventProducer(kafka);
    const publisher = new DirectoryPublisher(ds, producer, names.directory, name);
    const directory = new TenantDirectory(ds, { resolutionTtlMs: 0, region: name, onChange: async (id) => void (await publisher.publish(id)) });
    return { name, db, ds, kafka, producer, publisher, directory };
  }

  beforeAll(async () => {
    rmSync(root, { recursive: true, force: true });
    const [brokerB, pgB] = await Promise.all([
      startBroker({ dataDir: join(root, 'kafka'), port: kafkaPortB, controllerPort: kafkaPortB + 1 }),
      startPostgres({ dataDir: join(root, 'postgres'), port: pgPortB, durability: 'fast' }),
    ]);
    pgBUrl = pgB.superuserUrl;
    a = await region('a', process.env['WEAVER_TEST_PG_URL'] ?? '', process.env['WEAVER_TEST_KAFKA_BROKERS'] ?? '');
    b = await region('b', pgBUrl, brokerB.brokers);
    a.replication = await startDirectoryReplication({ kafka: a.kafka, ds: a.ds, names, peers: ['b'], logger });
    b.replication = await startDirectoryReplication({ kafka: b.kafka, ds: b.ds, names, peers: ['a'], logger });
    // A's audit chainer publishes its checkpoints; B stores A's that verify against the key id it trusts for "a".
    await provisionTopics(a.kafka, [...names.platform(3), { name: names.auditCheckpoints, partitions: 3, replicationFactor: 1, config: { 'cleanup.policy': 'compact' } }]);
    chainerA = regionChainer({ kafka: a.kafka, ds: a.ds, names, producer: a.producer, key: keyA, region: 'a', logger });
    await chainerA.start();
    replicaB = await checkpointReplica({ kafka: b.kafka, ds: b.ds, names, trustedKeyId: keyA.keyId, logger });
    // Run data topics exist in A before MirrorMaker starts: if its filter let them through, it would mirror them at once.
    const compacted = { 'cleanup.policy': 'compact' };
    await provisionTopics(a.kafka, [
      ...[names.triggers, names.runs, names.event('content.researched')].map((name) => ({ name, partitions: 3, replicationFactor: 1 })),
      ...[names.registryDefinitions, names.auditCheckpoints].map((name) => ({ name, partitions: 3, replicationFactor: 1, config: compacted })),
    ]);
    mm2 = await startMirrorMaker({
      dataDir: join(root, 'mm2'),
      regions: [{ alias: 'a', bootstrapServers: process.env['WEAVER_TEST_KAFKA_BROKERS'] ?? '' }, { alias: 'b', bootstrapServers: brokerB.brokers }],
      topics: names.crossRegion(),
      replicationFactor: 1,
      refreshTopicsSeconds: 2,
    });
  });

  afterAll(async () => {
    await chainerA?.stop();
    await replicaB?.consumer.stop();
    for (const r of [a, b]) {
      await r?.replication?.stop();
      await r?.producer.disconnect();
      await r?.ds.destroy();
      await r?.db.drop();
    }
    await mm2?.stop();
    await stopBroker(join(root, 'kafka'));
    await stopPostgres(join(root, 'postgres'));
    // Region B's servers were this file's alone (the logs are kept with WEAVER_TEST_KEEP=1).
    if (process.env['WEAVER_TEST_KEEP'] !== '1') rmSync(root, { recursive: true, force: true });
  });

  let tenantId: string;
  let apiKey: string;
  const runId = randomUUID();

  it('a tenant created in A is homed in A and appears in B\'s directory via MirrorMaker 2 (hashes only)', async () => {
    const created = await a.directory.createTenant({ name: 'Residency GmbH' });
    tenantId = created.tenant.id;
    apiKey = created.apiKey;
    expect(await a.directory.resolveApiKey(apiKey)).toMatchObject({ tenantId });
    const entry = await eventually(async () => {
      const rows = (await withTenant(b.ds, tenantId, (em) => em.query('SELECT home_region, served_by, name FROM tenancy.region_directory WHERE tenant_id = $1', [tenantId]))) as { home_region: string; served_by: string; name: string }[];
      return rows[0];
    }, "A's tenant in B's directory");
    expect(entry).toEqual({ home_region: 'a', served_by: 'a', name: 'Residency GmbH' });
    const tenantsInB = (await withTenant(b.ds, tenantId, (em) => em.query('SELECT id FROM tenancy.tenants'))) as unknown[];
    expect(tenantsInB).toHaveLength(0);
  });

  it('B refuses a request for A\'s tenant, naming the home region', async () => {
    const refusal = b.directory.resolveApiKey(apiKey);
    await expect(refusal).rejects.toBeInstanceOf(TenantInOtherRegionError);
    await expect(b.directory.resolveApiKey(apiKey)).rejects.toMatchObject({
      code: 'FAILED_PRECONDITION',
      message: expect.stringContaining('home region "a"'),
      details: { reason: 'TENANT_IN_OTHER_REGION', homeRegion: 'a', servedBy: 'a', region: 'b' },
    });
  });

  it('run data written in A never reaches B\'s broker or database; registry definitions do (audit checkpoints: the next test)', async () => {
    const run = (topic: string): { topic: string; key: string; value: Buffer } => ({ topic, key: tenantId, value: Buffer.from(JSON.stringify({ tenantId, runId, secret: 'step output of the run' })) });
    await a.producer.send([run(names.triggers), run(names.runs), run(names.event('content.researched'))]);
    const definition = { topic: names.registryDefinitions, key: 'researcher@1', value: Buffer.from(JSON.stringify({ agent: 'researcher', version: 1 })) };
    await a.producer.send([definition]);
    const crossed = await readTopicsUntil(b.kafka, [`a.${names.registryDefinitions}`], (records) => records.length >= 1, 90_000);
    expect(crossed.map((r) => r.key)).toEqual(['researcher@1']);

    const topicsB = (await listTopics(b.kafka)).filter((t) => !t.startsWith('__'));
    expect(topicsB.filter((t) => /weaver\.(triggers|runs|evt)\./.test(t))).toEqual([]);
    const everything = await readTopicsToEnd(b.kafka, topicsB, 60_000);
    expect(everything.length).toBeGreaterThan(0);
    expect(everything.filter((r) => r.value.toString('utf8').includes(runId))).toEqual([]);
    expect(await databaseMentions(pgBUrl, b.db.name, [runId, apiKey])).toEqual([]);
  });

  it('a checkpoint A\'s chainer signs is stored in B and verifies there; forged ones are refused', async () => {
    await a.producer.send(auditRecordsOf([0, 1, 2].map((i) => auditEvent(tenantId, i)), names));
    const [held] = await eventually(async () => {
      const rows = await remoteCheckpoints(b.ds, tenantId);
      return rows.length > 0 ? rows : undefined;
    }, "A's checkpoint in B's audit.remote_checkpoints");
    const [signed] = (await withTenant(a.ds, tenantId, (em) => em.query('SELECT tree_size, root_hash, key_id FROM audit.checkpoints'))) as { tree_size: string; root_hash: Buffer; key_id: string }[];
    expect(held).toMatchObject({ region: 'a', verifies: true, checkpoint: { tenantId, treeSize: 3, keyId: keyA.keyId, rootHash: signed!.root_hash.toString('hex') } });
    expect(signed!.key_id).toBe(keyA.keyId);
    // A's log checked against what B holds (the check for a region that was lost and came back, or is suspected).
    expect(await verifyStoredLog(a.ds, tenantId, [keyA.publicKey], [held!.checkpoint])).toMatchObject({ ok: true, entries: 3, checkpoints: 1 });
    expect((await verifyStoredLog(a.ds, tenantId, [keyA.publicKey], [{ ...held!.checkpoint, rootHash: '00'.repeat(32) }])).ok).toBe(false);

    await a.producer.send(forgedCheckpointRecords(names, held!.checkpoint, keyA));
    await eventually(async () => ((await replicaB.outcomes('refused-untrusted-key')) === 1 && (await replicaB.outcomes('refused-bad-signature')) === 1 ? true : undefined), 'B to refuse both forgeries');
    expect((await remoteCheckpoints(b.ds, tenantId)).map((r) => r.checkpoint.treeSize)).toEqual([3]);
    // Only the signed statement crossed: the entries themselves stay in A.
    expect(await withTenant(b.ds, tenantId, (em) => em.query('SELECT seq FROM audit.entries'))).toEqual([]);
    await expect(withTenant(b.ds, tenantId, (em) => em.query('DELETE FROM audit.remote_checkpoints'))).rejects.toThrow(/permission denied|append-only/);
  });

  it('failover: B adopts A\'s tenants and accepts them; A, told over MirrorMaker 2, then refuses them', async () => {
    await expect(b.directory.resolveApiKey(apiKey)).rejects.toBeInstanceOf(TenantInOtherRegionError);
    expect(await failoverRegion(b.ds, b.publisher, 'a', 'b')).toEqual([tenantId]);
    expect(await adoptTenantsOf(b.ds, 'a', 'b')).toEqual([]);
    expect(await b.directory.resolveApiKey(apiKey)).toMatchObject({ tenantId, roles: ['runner'] });
    const refused = await eventually(async () => {
      const error: unknown = await a.directory.resolveApiKey(apiKey).then(() => undefined, (e: unknown) => e);
      return error instanceof TenantInOtherRegionError ? error : undefined;
    }, 'A to learn that B serves its tenant');
    expect(refused.message).toContain('region "b" (home region "a", failed over)');
  });
});
