import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createDataSource, withTenant } from '@weaver/persistence';
import { createTestDatabase, type TestDatabase } from '@weaver/testing';
import { migrateTestDatabase, type ServiceUrls } from '@weaver/database';
import { createKafka, deleteTopics, dlqTopic, EosProcessor, EventProducer, provisionTopics, topicSpec, TopicNames, type KafkaConnection } from '@weaver/messaging';
import { createLogger, Metrics } from '@weaver/observability';
import { AUDIT_MIGRATIONS, AUDIT_SCHEMA, AuditChainer, AuditLogReader, AuditProofs, auditRecordsOf, KafkaAuditRecorder, verifyBundle, verifyStoredLog } from '../src';
import { auditEvent, testSigningKey, until } from './audit-fixture';

const logger = createLogger('audit-test', { level: process.env['WEAVER_LOG_LEVEL'] ?? 'warn' });
const key = testSigningKey();

describe('the audit trail on the real broker and PostgreSQL', () => {
  const names = new TopicNames(`audit-${randomUUID().slice(0, 8)}`);
  const tenants = [randomUUID(), randomUUID()];
  let kafka: KafkaConnection;
  let db: TestDatabase & ServiceUrls;
  let ds: DataSource;
  let owner: DataSource;
  let producer: EventProducer;
  let recorder: KafkaAuditRecorder;

  const chainer = (group?: string) =>
    new AuditChainer({ kafka, topics: names, ...(group ? { group } : {}), ds, signingKey: key, checkpointEvery: 50, checkpointIntervalMs: 300, logger, metrics: new Metrics('audit-test') });
  const count = (tenant: string) => withTenant(ds, tenant, (em) => em.query('SELECT count(*)::int AS n FROM audit.entries')).then((r: { n: number }[]) => r[0]!.n);

  beforeAll(async () => {
    kafka = createKafka({ brokers: [process.env['WEAVER_TEST_KAFKA_BROKERS']!], clientId: 'audit-test' });
    await provisionTopics(kafka, names.platform(3));
    db = await migrateTestDatabase(await createTestDatabase(), [{ schema: AUDIT_SCHEMA, migrations: AUDIT_MIGRATIONS }]);
    ds = await createDataSource({ url: db.urlOf('tenancy'), schema: AUDIT_SCHEMA, poolSize: 4 }).initialize();
    owner = await createDataSource({ url: db.ownerUrl, schema: AUDIT_SCHEMA, poolSize: 1 }).initialize();
    producer = new EventProducer(kafka);
    recorder = new KafkaAuditRecorder(producer, names);
  });
  afterAll(async () => {
    await producer?.disconnect();
    await ds?.destroy();
    await owner?.destroy();
    await db?.drop();
    await deleteTopics(kafka, names.platform(3).map((t) => t.name)).catch(() => undefined);
  });

  it('chains every recorded event exactly once across a chainer restart and a full redelivery', async () => {
    // 60 concurrent callers, 2 tenants, 5 events each: they share produce round trips.
    await Promise.all(Array.from({ length: 60 }, (_, c) => recorder.record(Array.from({ length: 5 }, (_, j) => auditEvent(tenants[c % 2]!, Math.floor(c / 2) * 5 + j)))));
    const first = chainer();
    await first.start();
    await until('the first 300 events are chained', async () => (await count(tenants[0]!)) === 150 && (await count(tenants[1]!)) === 150);
    await first.stop();
    // Each record was handed over once (a fetched batch that is not marked consumed comes back forever).
    expect(first.handled).toBe(300);

    // A producer retry re-sends events already chained, and new ones arrive while no chainer runs.
    await recorder.record([auditEvent(tenants[0]!, 3), auditEvent(tenants[1]!, 7), auditEvent(tenants[0]!, 150), auditEvent(tenants[1]!, 150)]);
    const second = chainer();
    await second.start();
    await until('the restarted chainer caught up', async () => (await count(tenants[0]!)) === 151 && (await count(tenants[1]!)) === 151);
    await second.stop();

    // Redelivery of everything: a chainer in a new group reads the topic from the beginning.
    const replay = chainer('weaver.audit-chainer.replay');
    await replay.start();
    await until('the replaying chainer has read everything', () => replay.handled >= 304);
    await replay.stop();
    expect(replay.handled).toBe(304);
    for (const t of tenants) {
      expect(await count(t)).toBe(151);
      const check = await verifyStoredLog(ds, t, [key.publicKey]);
      expect(check.issues).toEqual([]);
      expect(check).toMatchObject({ ok: true, entries: 151 });
      const seqs = (await withTenant(ds, t, (em) => em.query('SELECT seq FROM audit.entries ORDER BY seq'))) as { seq: string }[];
      expect(seqs.map((r) => Number(r.seq))).toEqual(Array.from({ length: 151 }, (_, i) => i));
    }
  });

  it('signs checkpoints every N entries and on the timer, and exports bundles that verify', async () => {
    const proofs = new AuditProofs(ds, [key.publicKey]);
    const bundle = await proofs.exportBundle(tenants[0]!);
    expect(bundle.checkpoint.treeSize).toBe(151); // the timer signed the tail
    expect(bundle.earlierCheckpoints.map((c) => c.checkpoint.treeSize)).toEqual(expect.arrayContaining([150]));
    expect(verifyBundle(bundle, { trustedKeys: [key.publicKey] })).toMatchObject({ ok: true, issues: [], entries: 151 });
    const part = await proofs.exportBundle(tenants[0]!, { fromSeq: 40, toSeq: 60 });
    expect(verifyBundle(part, { trustedKeys: [key.publicKey] })).toMatchObject({ ok: true, entries: 20 });
    const page = await new AuditLogReader(ds).list(tenants[0]!, { action: 'run.read', limit: 10 });
    expect(page.entries).toHaveLength(10);
    expect(page.entries.every((e) => e.entry.includes('"action":"run.read"'))).toBe(true);
    expect(page.nextAfterSeq).toBe(page.entries[9]!.seq);
    const next = await new AuditLogReader(ds).list(tenants[0]!, { action: 'run.read', limit: 10, afterSeq: page.nextAfterSeq! });
    expect(next.entries[0]!.seq).toBeGreaterThan(page.nextAfterSeq!);
    // Time range: the fixture's events are one second apart from 2026-01-01T00:00:00Z.
    const window = await new AuditLogReader(ds).list(tenants[0]!, { from: '2026-01-01T00:00:10Z', to: '2026-01-01T00:00:20Z' });
    expect(window.entries.map((e) => JSON.parse(e.entry).event.at)).toEqual(Array.from({ length: 10 }, (_, i) => new Date(Date.UTC(2026, 0, 1, 0, 0, 10 + i)).toISOString()));
    await expect(new AuditLogReader(ds).list(tenants[0]!, { from: 'yesterday' })).rejects.toThrow(/from: must be an ISO-8601 time/);
  });

  it("chains a step's audit that rode in the step's own Kafka transaction (auditRecordsOf), once, although the step ran twice", async () => {
    const group = `${names.namespace}.audit-step`;
    const input = `${names.namespace}.audit-step-input`;
    const output = `${names.namespace}.audit-step-output`;
    await provisionTopics(kafka, [topicSpec(input, 2), topicSpec(output, 2), topicSpec(dlqTopic(group), 1)]);
    const tenant = randomUUID();
    let attempts = 0;
    const step = new EosProcessor({
      kafka,
      group,
      topics: [input],
      logger,
      metrics: new Metrics('audit-test'),
      retry: { maxAttempts: 3, baseMs: 10, maxMs: 20 },
      // The step's output and its audit (a model call and a tool call it made) commit with the input offset, in one transaction.
      handler: async (record) => {
        const i = Number(record.value.toString());
        if (i === 0 && ++attempts === 1) throw new Error('transient: the step runs again');
        const audit = auditRecordsOf([auditEvent(tenant, i * 2, { id: `step-${i}/model`, action: 'model.call' }), auditEvent(tenant, i * 2 + 1, { id: `step-${i}/tool`, action: 'tool.call' })], names);
        return [{ topic: output, key: record.key, value: record.value }, ...audit];
      },
    });
    await step.start();
    await producer.send(Array.from({ length: 10 }, (_, i) => ({ topic: input, key: `run-${i}`, value: Buffer.from(String(i)) })));
    const c = chainer();
    await c.start();
    await until('the 20 step audit events are chained', async () => (await count(tenant)) === 20);
    await step.stop();
    await c.stop();
    expect(attempts).toBe(2);
    const rows = (await withTenant(ds, tenant, (em) => em.query("SELECT event_id FROM audit.entries WHERE event_id LIKE 'step-0/%' ORDER BY seq"))) as { event_id: string }[];
    expect(rows.map((r) => r.event_id).sort()).toEqual(['step-0/model', 'step-0/tool']);
    expect((await verifyStoredLog(ds, tenant, [key.publicKey])).issues).toEqual([]);
  });

  it('gives the tenancy role append-only rights: UPDATE, DELETE and TRUNCATE fail, and the owner is stopped by the trigger', async () => {
    for (const sql of ['UPDATE audit.entries SET action = $2 WHERE tenant_id = $1', 'DELETE FROM audit.entries WHERE tenant_id = $1', 'UPDATE audit.checkpoints SET key_id = $2 WHERE tenant_id = $1']) {
      const params = sql.includes('$2') ? [tenants[0], 'x'] : [tenants[0]];
      await expect(withTenant(ds, tenants[0]!, (em) => em.query(sql, params))).rejects.toThrow(/permission denied/);
    }
    await expect(ds.query('TRUNCATE audit.entries')).rejects.toThrow(/permission denied/);
    await expect(owner.query("UPDATE audit.entries SET action = 'x' WHERE tenant_id = $1", [tenants[0]])).rejects.toThrow(/append-only: UPDATE refused/);
    await expect(owner.query('DELETE FROM audit.entries WHERE tenant_id = $1', [tenants[0]])).rejects.toThrow(/append-only: DELETE refused/);
    await expect(owner.query('TRUNCATE audit.checkpoints')).rejects.toThrow(/append-only: TRUNCATE refused/);
    // Row-level security: another tenant's session sees none of these rows.
    expect(await count(randomUUID())).toBe(0);
  });
});
