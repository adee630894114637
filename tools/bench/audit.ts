/**
 * Benchmark: what the audit trail costs (issue 10 item 4). On a durable embedded PostgreSQL and
 * a real Kafka broker:
 *  1. the recorder: N events produced by C concurrent callers through KafkaAuditRecorder
 *     (acks=all; concurrent calls share produce requests) — events/s and bytes per record;
 *  2. the chainer end to end: the topic pre-filled with N events of T tenants, a chainer started
 *     from the beginning, timed until every event is chained in PostgreSQL — entries/s;
 *  3. the writer alone (no Kafka) with batches of B events: entries/s, and the checkpoint cost.
 *   npx tsx tools/bench/audit.ts [--events 20000] [--tenants 8] [--callers 64] [--batch 500] [--pg-port 29797] [--kafka-port 29798]
 */
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import type { AuditEvent } from '@weaver/governance';
import { migrateTestDatabase } from '@weaver/database';
import { createKafka, deleteTopics, EventProducer, provisionTopics, TopicNames } from '@weaver/messaging';
import { createLogger, Metrics } from '@weaver/observability';
import { createDataSource, withTenant } from '../../libs/persistence/src';
import { createTestDatabase } from '../../libs/testing/src';
import { AUDIT_MIGRATIONS, AUDIT_SCHEMA, auditPublicKeyOf, auditRecordsOf, AuditChainer, AuditLogWriter, AuditProofs, KafkaAuditRecorder, type AuditSigningKey } from '../../libs/audit/src';
import { startBroker } from '../kafka/src/broker';
import { startPostgres } from '../postgres/src/embedded';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const EVENTS = arg('events', 20_000);
const TENANTS = arg('tenants', 8);
const CALLERS = arg('callers', 64);
const BATCH = arg('batch', 500);
const say = (line: string): void => void process.stdout.write(`${line}\n`);
const secs = (t0: number): number => (performance.now() - t0) / 1000;

function signingKey(): AuditSigningKey {
  const { privateKey } = generateKeyPairSync('ed25519');
  const publicKey = auditPublicKeyOf(privateKey);
  return { keyId: publicKey.keyId, privateKey, publicKey };
}

/** A realistic event: a model call decided by a named policy, from a step of a run. */
const event = (tenantId: string, i: number): AuditEvent => ({
  id: `step:${randomUUID()}:call-${i}`,
  tenantId,
  at: new Date().toISOString(),
  principal: { type: 'Agent', id: 'content-pipeline/writer', tenantId },
  action: 'model.call',
  resource: { type: 'Model', id: 'gpt-4o-mini', classification: ['internal', 'pii'], workflow: 'content-pipeline' },
  decision: 'allow',
  reasons: ['tenant-policy-3'],
  source: 'agent-runner',
  correlationId: randomUUID(),
});

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'weaver-bench-audit-'));
  chmodSync(dir, 0o755); // embedded PostgreSQL runs as its own OS user when we are root
  const [pg, broker] = await Promise.all([
    startPostgres({ dataDir: join(dir, 'pg'), port: arg('pg-port', 29797), durability: 'durable' }),
    startBroker({ dataDir: join(dir, 'kafka'), port: arg('kafka-port', 29798), onProgress: () => undefined }),
  ]);
  const logger = createLogger('bench-audit', { level: 'warn' });
  const kafka = createKafka({ brokers: [broker.brokers], clientId: 'bench-audit' });
  const names = new TopicNames(`bench-${randomUUID().slice(0, 8)}`);
  const producer = new EventProducer(kafka);
  try {
    await provisionTopics(kafka, names.platform(6));
    const db = await migrateTestDatabase(await createTestDatabase(pg.superuserUrl), [{ schema: AUDIT_SCHEMA, migrations: AUDIT_MIGRATIONS }]);
    const ds = await createDataSource({ url: db.urlOf('tenancy'), schema: AUDIT_SCHEMA, poolSize: 8 }).initialize();
    const tenants = Array.from({ length: TENANTS }, () => randomUUID());
    const events = Array.from({ length: EVENTS }, (_, i) => event(tenants[i % TENANTS]!, i));
    say(`audit trail, ${EVENTS} events over ${TENANTS} tenants, durable PostgreSQL, Kafka ${broker.version}, node ${process.version}`);
    const bytes = auditRecordsOf([events[0]!], names)[0]!.value.length;
    say(`one event on weaver.audit.v1: ${bytes} bytes of value (+ key 36 B, 1 header); chained entry text ${bytes + 10} B, + 2 × 32 B hashes\n`);

    say('| stage | setting | rate |\n| --- | --- | ---: |');
    const recorder = new KafkaAuditRecorder(producer, names);
    await producer.connect();
    for (const callers of [1, CALLERS]) {
      const slice = events.slice(0, callers === 1 ? Math.min(2_000, EVENTS) : EVENTS);
      const t0 = performance.now();
      let next = 0;
      await Promise.all(Array.from({ length: callers }, async () => {
        while (next < slice.length) await recorder.record([slice[next++]!]);
      }));
      say(`| KafkaAuditRecorder.record (acks=all) | ${callers} caller(s), 1 event each call | ${Math.round(slice.length / secs(t0)).toLocaleString('en')} events/s |`);
    }

    // The topic now holds 2,000 + EVENTS records (the first pass re-sent events the second re-sends: redelivery, deduped).
    const key = signingKey();
    const chainer = new AuditChainer({ kafka, topics: names, ds, signingKey: key, checkpointEvery: 1_000, checkpointIntervalMs: 1_000, logger, metrics: new Metrics('bench') });
    const total = Math.min(2_000, EVENTS) + EVENTS;
    const t0 = performance.now();
    await chainer.start();
    while (chainer.handled < total) await new Promise((r) => setTimeout(r, 20));
    const chainSecs = secs(t0);
    await chainer.stop();
    const chained = (await Promise.all(tenants.map((t) => withTenant(ds, t, (em) => em.query('SELECT count(*)::int AS n FROM audit.entries')) as Promise<{ n: number }[]>))).reduce((n, r) => n + r[0]!.n, 0);
    say(`| AuditChainer (topic → PostgreSQL, incl. group join) | ${total} records, ${chained} distinct entries, checkpoint every 1,000 | ${Math.round(total / chainSecs).toLocaleString('en')} records/s |`);

    const writer = new AuditLogWriter(ds, { signingKey: key, checkpointEvery: 1_000_000 });
    const fresh = Array.from({ length: EVENTS }, (_, i) => event(tenants[i % TENANTS]!, i));
    const t1 = performance.now();
    for (let i = 0; i < fresh.length; i += BATCH) await writer.append(fresh.slice(i, i + BATCH));
    say(`| AuditLogWriter.append | batches of ${BATCH} over ${TENANTS} tenants | ${Math.round(EVENTS / secs(t1)).toLocaleString('en')} entries/s |`);
    const single = fresh.slice(0, 500).map((e) => ({ ...e, id: `${e.id}-single` }));
    const t2 = performance.now();
    for (const e of single) await writer.append([e]);
    say(`| AuditLogWriter.append | batches of 1 (an idle chainer) | ${Math.round(single.length / secs(t2)).toLocaleString('en')} entries/s |`);
    const t3 = performance.now();
    for (const t of tenants) await writer.checkpoint(t);
    say(`| checkpoint (frontier + new leaves, Ed25519) | ${TENANTS} tenants, ~${Math.round((EVENTS + 500) / TENANTS)} new entries each | ${(secs(t3) * 1000 / TENANTS).toFixed(1)} ms each |`);
    const t4 = performance.now();
    const bundle = await new AuditProofs(ds, [key.publicKey]).exportBundle(tenants[0]!, { fromSeq: 0, toSeq: 100 });
    say(`| export 100 entries with proofs | log of ${bundle.checkpoint.treeSize} entries | ${(secs(t4) * 1000).toFixed(0)} ms, ${Math.round(JSON.stringify(bundle).length / 1024)} KiB |`);
    await ds.destroy();
    await db.drop();
    await deleteTopics(kafka, names.platform(6).map((t) => t.name)).catch(() => undefined);
  } finally {
    await producer.disconnect();
    await broker.stop();
    await pg.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
