/**
 * Proves that kafkajs 2.2.4 — the project's only Kafka client — does everything
 * the exactly-once layer needs against the broker version tools/kafka pins.
 * This is the evidence behind DEFAULT_KAFKA_VERSION: run it against a newer
 * broker before moving the pin (see tools/kafka/README.md).
 *
 * Broker: process.env.WEAVER_TEST_KAFKA_BROKERS, provided by the integration
 * global setup. Every topic/group/transactional id is random, so this file can
 * run beside others on the same broker.
 */
import { randomUUID } from 'node:crypto';

import { Kafka, logLevel, type Consumer, type EachMessagePayload, type Producer } from 'kafkajs';

const brokers = process.env['WEAVER_TEST_KAFKA_BROKERS'];
if (!brokers) throw new Error('WEAVER_TEST_KAFKA_BROKERS is not set; run through jest.integration.config.js');

const kafka = new Kafka({ clientId: 'kafka-compat', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
const admin = kafka.admin();
const cleanup: Array<() => Promise<void>> = [];
const unique = (prefix: string): string => `compat-${prefix}-${randomUUID().slice(0, 8)}`;

function track<T extends Producer | Consumer>(client: T): T {
  cleanup.push(() => client.disconnect().catch(() => undefined));
  return client;
}

async function createTopic(topic: string, numPartitions: number): Promise<void> {
  // Without waitForLeaders: its metadata check can fail with UNKNOWN_TOPIC_OR_PARTITION on a
  // busy broker (kafkajs retries only LEADER_NOT_AVAILABLE there; seen in CI). The same wait,
  // retrying what is retriable, as provisionTopics does.
  const created = await admin.createTopics({ topics: [{ topic, numPartitions, replicationFactor: 1 }] });
  expect(created).toBe(true);
  for (let attempt = 1; ; attempt++) {
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      if (topics[0]!.partitions.length === numPartitions && topics[0]!.partitions.every((p) => p.leader >= 0)) return;
    } catch (error) {
      if ((error as { retriable?: boolean }).retriable !== true || attempt >= 40) throw error;
    }
    if (attempt >= 40) throw new Error(`${topic}: not every partition had a leader after ${attempt} metadata reads`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function transactionalProducer(transactionalId: string): Producer {
  // The settings the EOS layer uses: kafkajs requires idempotence + 1 in flight for transactions.
  return track(kafka.producer({ idempotent: true, maxInFlightRequests: 1, transactionalId, retry: { retries: 5 } }));
}

/** Polls until check() passes (it throws via expect until then) or the time runs out. */
async function eventually(check: () => void, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** Starts a consumer from the beginning of topic and collects record values as they arrive. */
async function collect(topic: string, readUncommitted: boolean): Promise<{ consumer: Consumer; values: string[] }> {
  const consumer = track(kafka.consumer({ groupId: unique('reader'), readUncommitted }));
  const values: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }: EachMessagePayload) => {
      values.push(message.value?.toString() ?? '');
    },
  });
  return { consumer, values };
}

beforeAll(async () => {
  await admin.connect();
});

afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((close) => close()));
});

afterAll(async () => {
  await admin.disconnect();
});

describe('kafkajs 2.2.4 against the pinned broker', () => {
  it('admin: createTopics, fetchTopicOffsetsByTimestamp, fetchOffsets', async () => {
    const topic = unique('admin');
    const before = Date.now() - 1_000;
    await createTopic(topic, 3);
    expect(await admin.listTopics()).toContain(topic);

    const producer = track(kafka.producer({ idempotent: true, maxInFlightRequests: 1 }));
    await producer.connect();
    await producer.send({ topic, messages: [0, 1, 2, 3, 4, 5].map((i) => ({ partition: i % 3, value: `v${i}` })) });

    const high = await admin.fetchTopicOffsets(topic);
    expect(high.map((p) => Number(p.high)).reduce((a, b) => a + b, 0)).toBe(6);
    const byTime = await admin.fetchTopicOffsetsByTimestamp(topic, before);
    expect(byTime.sort((a, b) => a.partition - b.partition)).toEqual([0, 1, 2].map((partition) => ({ partition, offset: '0' })));

    const [committed] = await admin.fetchOffsets({ groupId: unique('nobody'), topics: [topic] });
    expect(committed?.partitions.map((p) => p.offset)).toEqual(['-1', '-1', '-1']);
  });

  it('transactions: commit and abort; read_committed sees committed records only; sendOffsets lands', async () => {
    const input = unique('in');
    const output = unique('out');
    const group = unique('eos-group');
    await createTopic(input, 1);
    await createTopic(output, 1);

    const producer = transactionalProducer(unique('txn'));
    await producer.connect();

    const committed = await producer.transaction();
    await committed.send({ topic: output, messages: [{ value: 'committed-1' }, { value: 'committed-2' }] });
    await committed.sendOffsets({ consumerGroupId: group, topics: [{ topic: input, partitions: [{ partition: 0, offset: '5' }] }] });
    await committed.commit();

    const aborted = await producer.transaction();
    await aborted.send({ topic: output, messages: [{ value: 'aborted-1' }] });
    await aborted.sendOffsets({ consumerGroupId: group, topics: [{ topic: input, partitions: [{ partition: 0, offset: '9' }] }] });
    await aborted.abort();

    const last = await producer.transaction();
    await last.send({ topic: output, messages: [{ value: 'committed-3' }] });
    await last.commit();

    const readCommitted = await collect(output, false);
    const readUncommitted = await collect(output, true);
    // read_uncommitted seeing the aborted record proves it really was written, so its absence below means filtering.
    await eventually(() => expect(readUncommitted.values).toEqual(['committed-1', 'committed-2', 'aborted-1', 'committed-3']));
    await eventually(() => expect(readCommitted.values).toEqual(['committed-1', 'committed-2', 'committed-3']));

    const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [input] });
    expect(offsets?.partitions).toEqual([expect.objectContaining({ partition: 0, offset: '5' })]);
  });

  it('consumer group: a second member triggers a rebalance that splits the partitions', async () => {
    const topic = unique('rebalance');
    const groupId = unique('group');
    await createTopic(topic, 4);
    const assignments = new Map<string, number[]>();
    const received = new Map<string, Set<string>>();

    async function member(name: string): Promise<Consumer> {
      const consumer = track(
        kafka.consumer({ groupId, readUncommitted: false, sessionTimeout: 10_000, rebalanceTimeout: 10_000, heartbeatInterval: 500 }),
      );
      received.set(name, new Set());
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
        assignments.set(name, [...(payload.memberAssignment[topic] ?? [])].sort());
      });
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          received.get(name)?.add(message.value?.toString() ?? '');
        },
      });
      return consumer;
    }

    await member('a');
    await eventually(() => expect(assignments.get('a')).toEqual([0, 1, 2, 3]));
    await member('b');
    await eventually(() => {
      const a = assignments.get('a') ?? [];
      const b = assignments.get('b') ?? [];
      expect(a.length).toBeGreaterThan(0);
      expect(b.length).toBeGreaterThan(0);
      expect([...a, ...b].sort()).toEqual([0, 1, 2, 3]);
    }, 45_000);

    const producer = track(kafka.producer({ idempotent: true, maxInFlightRequests: 1 }));
    await producer.connect();
    const values = Array.from({ length: 20 }, (_, i) => `m${i}`);
    await producer.send({ topic, messages: values.map((value, i) => ({ partition: i % 4, value })) });
    await eventually(() => {
      const a = received.get('a') ?? new Set<string>();
      const b = received.get('b') ?? new Set<string>();
      expect(a.size).toBeGreaterThan(0);
      expect(b.size).toBeGreaterThan(0);
      expect([...a, ...b].sort()).toEqual([...values].sort());
    });
  });

  it('fencing: a second producer with the same transactionalId makes the first one fail to commit', async () => {
    const topic = unique('fence');
    const transactionalId = unique('fenced-txn');
    await createTopic(topic, 1);

    const first = transactionalProducer(transactionalId);
    await first.connect();
    const zombie = await first.transaction();
    await zombie.send({ topic, messages: [{ value: 'from-zombie' }] });

    const second = transactionalProducer(transactionalId);
    await second.connect();
    const fresh = await second.transaction(); // InitProducerId bumps the epoch and aborts the zombie's transaction.
    await fresh.send({ topic, messages: [{ value: 'from-successor' }] });

    const failure = await zombie.commit().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(Error);
    // Brokers answer EndTxn from the old epoch with INVALID_PRODUCER_EPOCH (seen on 3.9 and 4.4); newer protocol versions say PRODUCER_FENCED.
    expect((failure as { type?: string }).type).toMatch(/^(INVALID_PRODUCER_EPOCH|PRODUCER_FENCED)$/);

    await fresh.commit();
    const reader = await collect(topic, false);
    await eventually(() => expect(reader.values).toEqual(['from-successor']));
  });
});
