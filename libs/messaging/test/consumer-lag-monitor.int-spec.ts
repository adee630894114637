import { randomUUID } from 'node:crypto';
import { WeaverError } from '@weaver/errors';
import { createLogger, Metrics } from '@weaver/observability';
import { ConsumerLagMonitor, createKafka, dlqTopic, EosProcessor, EventProducer, provisionTopics, replayDeadLetters, topicSpec, type InboundRecord, type KafkaConnection } from '../src';

const logger = createLogger('lag-test', { level: 'warn' });

/** The gauge's value for agent "worker" in the registry's exposition. */
async function gauge(metrics: Metrics, name: string): Promise<number | undefined> {
  const line = (await metrics.text()).body.split('\n').find((l) => l.startsWith(`${name}{agent="worker"`));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** Polls the monitor until `done` holds for (lag, dlq); the readings are what the test asserts. */
async function pollUntil(monitor: ConsumerLagMonitor, metrics: Metrics, done: (lag: number, dlq: number) => boolean): Promise<{ lag: number; dlq: number }> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    await monitor.poll();
    const reading = { lag: (await gauge(metrics, 'weaver_consumer_lag_records'))!, dlq: (await gauge(metrics, 'weaver_dlq_records'))! };
    if (done(reading.lag, reading.dlq) || Date.now() > deadline) return reading;
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('ConsumerLagMonitor against a real broker', () => {
  let kafka: KafkaConnection;
  const id = randomUUID().slice(0, 8);
  const input = `test.lag-in.${id}`;
  const group = `test-lag-${id}`;

  beforeAll(async () => {
    kafka = createKafka({ brokers: [process.env['WEAVER_TEST_KAFKA_BROKERS']!], clientId: 'lag-test', logger });
    await provisionTopics(kafka, [topicSpec(input, 2), topicSpec(dlqTopic(group), 1)]);
  });

  it('reports the backlog of a group before and while it consumes, and the dead letters until they are re-driven', async () => {
    const producer = new EventProducer(kafka);
    await producer.send(Array.from({ length: 10 }, (_, i) => ({ topic: input, key: i < 2 ? `poison-${i}` : `k${i}`, value: Buffer.from(String(i)) })));
    const metrics = new Metrics('lag-test');
    const monitor = new ConsumerLagMonitor(kafka, [{ agent: 'worker', group, topics: [input] }], metrics, logger);

    // Nobody consumed yet: all ten are behind, the DLQ is empty.
    expect(await pollUntil(monitor, metrics, (lag) => lag === 10)).toEqual({ lag: 10, dlq: 0 });

    let fixed = false;
    const done = new Set<string>();
    const processed = (): number => done.size;
    const handler = async (record: InboundRecord) => {
      if (record.key?.startsWith('poison') && !fixed) throw new WeaverError('UNAVAILABLE', 'downstream is down', { retriable: true });
      done.add(record.key ?? '');
      return [];
    };
    const processor = new EosProcessor({ kafka, group, topics: [input], handler, logger, metrics, retry: { maxAttempts: 1, baseMs: 10, maxMs: 10 } });
    await processor.start();
    try {
      // Consumed and committed (the two poison records as dead letters): no backlog, two dead letters.
      expect(await pollUntil(monitor, metrics, (lag, dlq) => lag === 0 && dlq === 2)).toEqual({ lag: 0, dlq: 2 });

      // Re-driven: the DLQ reads empty although its log still ends in the replay's commit marker.
      // The two records went back to the input in one transaction, and once they are consumed the
      // lag reads at most one per input partition: that transaction's commit marker (the documented
      // bias of an offset-based lag; it never grows).
      fixed = true;
      expect((await replayDeadLetters({ kafka, group, logger })).replayed).toBe(2);
      const after = await pollUntil(monitor, metrics, (lag, dlq) => lag <= 2 && dlq === 0 && processed() === 10);
      expect(after.dlq).toBe(0);
      expect(after.lag).toBeLessThanOrEqual(2);
      expect(processed()).toBe(10);
    } finally {
      await processor.stop();
      await monitor.stop();
      await producer.disconnect();
    }
  });
});
