import { randomUUID } from 'node:crypto';
import type { Kafka, Producer } from 'kafkajs';
import { createLogger, Metrics } from '@weaver/observability';
import { createKafka, EosProcessor, EventProducer, provisionTopics, topicSpec, type InboundRecord, type KafkaConnection } from '../src';
import { kafkaClient } from '../src/kafka/connection';
import { readAll } from './read-committed';

const logger = createLogger('eos-fencing-test', { level: 'error' });

/**
 * Zombie fencing of the exactly-once layer on a real broker. The zombie is a transactional
 * producer holding the partition's transactional id (`weaver.<group>.<topic>.<partition>`) with
 * an open transaction — what a replica SIGSTOPped past its session timeout leaves behind — whose
 * commit is released at the worst moment: after the new owner read the committed offset, before
 * its first transaction.
 *
 * kafkajs' `producer.connect()` initialises only an idempotent producer id; the transactional id
 * is initialised (InitProducerId: epoch bump, the zombie's open transaction aborted) lazily by the
 * first `transaction()`. A worker that reads the committed offset after `connect()` has not
 * fenced anyone yet, so the zombie's commit still lands and its records are processed twice.
 */
describe('EosProcessor fencing of a former owner', () => {
  let connection: KafkaConnection;
  let kafka: Kafka; // the vendor client: the zombies are raw kafkajs producers

  beforeAll(() => {
    connection = createKafka({ brokers: [process.env['WEAVER_TEST_KAFKA_BROKERS']!], clientId: 'eos-fencing-test', logger });
    kafka = kafkaClient(connection);
  });

  it('kafkajs fences a transactional id only at the first transaction(), not at connect()', async () => {
    const topic = `test.fence-connect.${randomUUID().slice(0, 8)}`;
    await provisionTopics(connection, [topicSpec(topic, 1)]);
    const open = async (): Promise<Producer> => {
      const p = kafka.producer({ transactionalId: `fence-connect.${topic}`, idempotent: true, maxInFlightRequests: 1 });
      await p.connect();
      return p;
    };
    const zombie = await open();
    const txn = await zombie.transaction();
    await txn.send({ topic, messages: [{ value: 'zombie' }] });
    const owner = await open(); // connected, not yet fenced anything
    await txn.commit(); // lands: this is why the worker must fence explicitly
    const first = await owner.transaction(); // InitProducerId: now the zombie is fenced
    await first.send({ topic, messages: [{ value: 'owner' }] });
    await first.commit();
    await expect(zombie.transaction().then((t) => t.send({ topic, messages: [{ value: 'late' }] }))).rejects.toThrow();
    await Promise.all([owner.disconnect(), zombie.disconnect().catch(() => undefined)]);
    const seen = (await readAll(connection, topic, 2, 20_000)).map((r) => r.value.toString());
    expect(seen).toEqual(['zombie', 'owner']);
  });

  // Fails until the worker fences before it reads the committed offset (see the report of
  // issue 7 §5 and docs/architecture.md "Fencing"): remove `.failing` with that fix.
  it('a former owner whose commit lands after the new owner read its offsets is fenced: each input is output once', async () => {
    const id = randomUUID().slice(0, 8);
    const input = `test.fence-in.${id}`;
    const output = `test.fence-out.${id}`;
    const group = `test-fence-${id}`;
    await provisionTopics(connection, [topicSpec(input, 1), topicSpec(output, 1)]);
    const inputs = new EventProducer(connection);
    await inputs.send(Array.from({ length: 10 }, (_, i) => ({ topic: input, key: `k${i}`, value: Buffer.from(String(i)) })));
    await inputs.disconnect();

    // The former owner processed inputs 0..4 and is stopped between sendOffsets and commit.
    const zombie = kafka.producer({ transactionalId: `weaver.${group}.${input}.0`, idempotent: true, maxInFlightRequests: 1 });
    await zombie.connect();
    const zombieTxn = await zombie.transaction();
    await zombieTxn.send({ topic: output, messages: Array.from({ length: 5 }, (_, i) => ({ key: `k${i}`, value: `out-${i}` })) });
    await zombieTxn.sendOffsets({ consumerGroupId: group, topics: [{ topic: input, partitions: [{ partition: 0, offset: '5' }] }] });

    let released: Promise<unknown> | undefined;
    const handler = async (record: InboundRecord) => {
      // The new owner's worker exists (offsets read); the zombie resumes and commits now.
      released ??= zombieTxn.commit().catch(() => 'fenced');
      await released;
      return [{ topic: output, key: record.key, value: Buffer.from(`out-${record.value.toString()}`) }];
    };
    const processor = new EosProcessor({ kafka: connection, group, topics: [input], handler, logger, metrics: new Metrics('fence') });
    await processor.start();
    try {
      const outputs = (await readAll(connection, output, 10, 30_000)).map((r) => r.value.toString()).sort();
      expect(outputs).toEqual(Array.from({ length: 10 }, (_, i) => `out-${i}`).sort());
    } finally {
      await processor.stop();
      await zombie.disconnect().catch(() => undefined);
    }
  });
});
