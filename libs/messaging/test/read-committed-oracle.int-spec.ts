import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import type { Kafka, Producer } from 'kafkajs';
import { createKafka, provisionTopics, topicSpec } from '../src';
import { kafkaClient } from '../src/kafka/connection';

/**
 * kafkajs read-committed delivery checked against two oracles on a real broker: what the test
 * itself committed, and what librdkafka (Debian's `kcat`, `isolation.level=read_committed`)
 * delivers from the same partitions. The log is made the way Weaver's faults make it: several
 * transactional producers with stable ids (one per input partition, like EosProcessor's),
 * commits and aborts interleaved, a producer SIGKILLed mid-transaction in a child process, a
 * live producer fenced by a new one with the same transactional id (same producer id, bumped
 * epoch), all over many partitions. The reader fetches a few KB per partition at a time, so
 * transactions span fetches.
 */
const PARTITIONS = 8;
const run = promisify(execFile);
const brokers = (): string => process.env['WEAVER_TEST_KAFKA_BROKERS']!;

interface Seen {
  partition: number;
  offset: string;
  value: string;
}

/** A transaction writing `perPartition` records to every partition; ends as `outcome` says. */
async function transaction(producer: Producer, topic: string, tag: string, perPartition: number, outcome: 'commit' | 'abort'): Promise<void> {
  const txn = await producer.transaction();
  const messages = [];
  for (let p = 0; p < PARTITIONS; p++) for (let i = 0; i < perPartition; i++) messages.push({ partition: p, key: `k${p}`, value: `${tag}:${outcome === 'commit' ? 'C' : 'A'}:${p}:${i}:${'x'.repeat(200)}` });
  await txn.send({ topic, messages });
  if (outcome === 'commit') await txn.commit();
  else await txn.abort();
}

const CHILD = `
const { Kafka, logLevel } = require('kafkajs');
const [brokers, topic, txnId, partitions] = process.argv.slice(1);
(async () => {
  const kafka = new Kafka({ brokers: [brokers], clientId: 'oracle-child', logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ transactionalId: txnId, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const txn = await producer.transaction();
  const messages = [];
  for (let p = 0; p < Number(partitions); p++) for (let i = 0; i < 5; i++) messages.push({ partition: p, key: 'k' + p, value: 'killed:A:' + p + ':' + i + ':' + 'x'.repeat(200) });
  await txn.send({ topic, messages });
  process.stdout.write('sent\\n');
  setInterval(() => {}, 1000); // hold the transaction open until SIGKILL
})().catch((e) => { process.stderr.write(String(e)); process.exit(2); });
`;

/** A child process opens a transaction over every partition and is SIGKILLed inside it. */
async function killedMidTransaction(topic: string, txnId: string): Promise<void> {
  const child = spawn(process.execPath, ['-e', CHILD, brokers(), topic, txnId, String(PARTITIONS)], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => d.toString().includes('sent') && resolve());
    child.on('exit', (code) => reject(new Error(`oracle child exited with ${code} before sending`)));
  });
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
}

async function readWithKafkajs(kafka: Kafka, topic: string, ends: Map<number, bigint>): Promise<Seen[]> {
  const consumer = kafka.consumer({ groupId: `oracle-${randomUUID()}`, readUncommitted: false, maxWaitTimeInMs: 50, maxBytesPerPartition: 4_096 });
  const out: Seen[] = [];
  const done = new Set<number>();
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  // END_BATCH_PROCESS also fires for fetches that held only markers or aborted records (eachBatch
  // does not), so it shows when a partition's last offset, usually a marker, has been passed.
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    if (BigInt(payload.lastOffset) + 1n >= ends.get(payload.partition)!) done.add(payload.partition);
  });
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      for (const m of batch.messages) out.push({ partition: batch.partition, offset: m.offset, value: m.value!.toString() });
    },
  });
  const deadline = Date.now() + 60_000;
  while (done.size < PARTITIONS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await consumer.disconnect();
  return out;
}

async function readWithKcat(topic: string): Promise<Seen[]> {
  const { stdout } = await run('kcat', ['-b', brokers(), '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-X', 'isolation.level=read_committed', '-f', '%p|%o|%s\\n'], { maxBuffer: 64 * 1024 * 1024 });
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [partition, offset, value] = line.split('|') as [string, string, string];
      return { partition: Number(partition), offset, value };
    });
}

const summary = (seen: Seen[]): string[] => seen.map((s) => `${s.partition}@${s.offset}=${s.value.split(':').slice(0, 4).join(':')}`).sort();

describe('kafkajs read-committed delivery vs librdkafka (kcat) and the committed truth', () => {
  it('delivers exactly the committed records after interleaved aborts, a SIGKILLed producer and fencing', async () => {
    const connection = createKafka({ brokers: [brokers()], clientId: 'oracle' });
    const kafka = kafkaClient(connection);
    const topic = `test.oracle.${randomUUID().slice(0, 8)}`;
    await provisionTopics(connection, [topicSpec(topic, PARTITIONS)]);
    const ids = [0, 1, 2].map((i) => `oracle.${topic}.${i}`);
    const open = async (id: string): Promise<Producer> => {
      const p = kafka.producer({ transactionalId: id, idempotent: true, maxInFlightRequests: 1 });
      await p.connect();
      return p;
    };
    const producers = await Promise.all(ids.map(open));
    const [a, b, c] = producers as [Producer, Producer, Producer];

    // Interleaved commits and aborts of three producers, some aborted ones back to back.
    for (let round = 0; round < 4; round++) {
      await Promise.all([
        transaction(a, topic, `a${round}`, 3, round % 2 ? 'commit' : 'abort'),
        transaction(b, topic, `b${round}`, 2, 'abort'),
        transaction(c, topic, `c${round}`, 4, 'commit'),
      ]);
    }
    // Two long aborted transactions open side by side, their sends alternating, so that fetches
    // start inside both (the case unpatched kafkajs leaked), with a committed one through them.
    const [ta, tb, tc] = await Promise.all([a.transaction(), b.transaction(), c.transaction()]);
    for (let i = 0; i < 10; i++) {
      for (const [txn, tag] of [[ta, 'A'], [tb, 'A'], [tc, 'C']] as const) {
        await txn.send({ topic, messages: Array.from({ length: PARTITIONS * 2 }, (_, j) => ({ partition: j % PARTITIONS, key: 'k', value: `side-${tag}${i}:${tag}:${j % PARTITIONS}:${j}:${'x'.repeat(200)}` })) });
      }
    }
    await Promise.all([ta.abort(), tb.abort(), tc.commit()]);
    // Producer id of `a` SIGKILLed mid-transaction; the new owner of id `a` fences (aborts it)
    // and commits with the same producer id, a bumped epoch.
    await a.disconnect();
    await killedMidTransaction(topic, ids[0]!);
    const a2 = await open(ids[0]!);
    await transaction(a2, topic, 'a-after-kill', 3, 'commit');
    await transaction(a2, topic, 'a-after-kill-2', 2, 'abort');
    await transaction(a2, topic, 'a-after-kill-3', 2, 'commit');
    // A live zombie: `b` is fenced by `b2` while its transaction is open, then `b2` commits.
    const zombie = await b.transaction();
    await zombie.send({ topic, messages: Array.from({ length: PARTITIONS }, (_, p) => ({ partition: p, key: `k${p}`, value: `zombie:A:${p}:0` })) });
    // kafkajs' connect() initialises only an idempotent producer id; the transactional id is
    // initialised (and the zombie fenced) by the first transaction().
    const b2 = await open(ids[1]!);
    await transaction(b2, topic, 'b-after-fence', 3, 'commit');
    await expect(zombie.commit()).rejects.toThrow();
    await Promise.all([transaction(b2, topic, 'b-last', 2, 'abort'), transaction(c, topic, 'c-last', 2, 'commit')]);
    await Promise.all([a2, b2, c].map((p) => p.disconnect()));
    await b.disconnect().catch(() => undefined);

    const admin = kafka.admin();
    await admin.connect();
    const ends = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, BigInt(o.high)]));
    await admin.disconnect();

    const [viaKafkajs, viaKcat] = await Promise.all([readWithKafkajs(kafka, topic, ends), readWithKcat(topic)]);
    // Values carry their transaction's outcome (C/A): the truth, independent of both clients.
    const committed = viaKcat.filter((s) => s.value.split(':')[1] === 'C');
    expect(viaKcat.filter((s) => s.value.split(':')[1] !== 'C')).toEqual([]);
    // a: rounds 1 and 3 (3 each), c: four rounds of 4 and 10 sends of 2 side by side with the
    // aborted ones, then a-after-kill 3 + 2, b-after-fence 3, c-last 2.
    expect(committed.length).toBe(PARTITIONS * (2 * 3 + 4 * 4 + 10 * 2 + 3 + 2 + 3 + 2));
    expect(summary(viaKafkajs)).toEqual(summary(viaKcat));
  }, 120_000);
});
