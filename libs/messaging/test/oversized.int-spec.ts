import { randomUUID } from 'node:crypto';
import { createLogger, Metrics } from '@weaver/observability';
import { createKafka, DlqHeaders, EosProcessor, EventProducer, provisionTopics, dlqTopic, topicSpec, type InboundRecord, type KafkaConnection } from '../src';
import { readAll } from './read-committed';

const logger = createLogger('oversized-test', { level: 'error' });

/**
 * An output the broker will not take must cost one dead letter, not the partition: every other
 * record on it — before and after the big one, same partition — still commits exactly once.
 */
describe('oversized outputs on a real broker', () => {
  let kafka: KafkaConnection;

  beforeAll(() => {
    kafka = createKafka({ brokers: [process.env['WEAVER_TEST_KAFKA_BROKERS']!], clientId: 'oversized-test', logger });
  });

  async function scenario(maxRecordBytes: number | undefined): Promise<{ outputs: InboundRecord[]; dead: InboundRecord[] }> {
    const id = randomUUID().slice(0, 8);
    const [input, output, group] = [`test.big-in.${id}`, `test.big-out.${id}`, `test-big-${id}`];
    // One partition: the big record sits between good ones on the same partition.
    await provisionTopics(kafka, [topicSpec(input, 1), topicSpec(output, 1), topicSpec(dlqTopic(group), 1)]);
    const handler = async (r: InboundRecord) => {
      const n = Number(r.value.toString());
      // 1.5 MB: over the broker's default message.max.bytes (1 MiB).
      const value = n === 5 ? Buffer.alloc(1_500_000, 'x') : Buffer.from(`out-${n}`);
      return [{ topic: output, key: r.key, value }];
    };
    const processor = new EosProcessor({ kafka, group, topics: [input], handler, logger, metrics: new Metrics('t'), maxRecordBytes, retry: { maxAttempts: 2, baseMs: 10, maxMs: 20 } });
    await processor.start();
    const producer = new EventProducer(kafka);
    await producer.send(Array.from({ length: 10 }, (_, n) => ({ topic: input, key: `k-${n}`, value: Buffer.from(String(n)) })));
    try {
      const outputs = await readAll(kafka, output, 9, 60_000);
      const dead = await readAll(kafka, dlqTopic(group), 1, 30_000);
      return { outputs, dead };
    } finally {
      await producer.disconnect();
      await processor.stop();
    }
  }

  it('dead-letters an output over the record limit before the transaction, naming topic and size', async () => {
    const { outputs, dead } = await scenario(undefined);
    expect(outputs.map((o) => o.value.toString()).sort()).toEqual([0, 1, 2, 3, 4, 6, 7, 8, 9].map((n) => `out-${n}`).sort());
    expect(dead).toHaveLength(1);
    expect(dead[0]!.headers[DlqHeaders.sourceOffset]).toBe('5');
    expect(dead[0]!.headers[DlqHeaders.errorCode]).toBe('RESOURCE_EXHAUSTED');
    expect(dead[0]!.headers[DlqHeaders.errorMessage]).toMatch(/output record for topic "test\.big-out\.[0-9a-f]+" is \d+ bytes, over the 1000000-byte record limit/);
  });

  it('when the broker refuses a commit for a record, finds that record and dead-letters it with the broker error; the others commit', async () => {
    // The size check is set above the broker's limit, so the broker itself refuses the batch.
    const { outputs, dead } = await scenario(8 * 1024 * 1024);
    expect(outputs.map((o) => o.value.toString()).sort()).toEqual([0, 1, 2, 3, 4, 6, 7, 8, 9].map((n) => `out-${n}`).sort());
    expect(dead).toHaveLength(1);
    expect(dead[0]!.headers[DlqHeaders.sourceOffset]).toBe('5');
    expect(dead[0]!.headers[DlqHeaders.errorMessage]).toMatch(/larger than|too large/i);
  });
});
