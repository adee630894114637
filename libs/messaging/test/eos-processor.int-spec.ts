import { randomUUID } from 'node:crypto';
import { createLogger, Metrics } from '@weaver/observability';
import { WeaverError } from '@weaver/errors';
import { createKafka, EosProcessor, EventProducer, provisionTopics, replayDeadLetters, replayRange, dlqTopic, DlqHeaders, topicSpec, type InboundRecord, type KafkaConnection } from '../src';
import { readAll } from './read-committed';

const logger = createLogger('eos-test', { level: 'warn' });

describe('EosProcessor against a real broker', () => {
  let kafka: KafkaConnection;
  const id = randomUUID().slice(0, 8);
  const input = `test.eos-in.${id}`;
  const output = `test.eos-out.${id}`;
  const group = `test-eos-${id}`;

  beforeAll(async () => {
    kafka = createKafka({ brokers: [process.env['WEAVER_TEST_KAFKA_BROKERS']!], clientId: 'eos-test', logger });
    await provisionTopics(kafka, [topicSpec(input, 3), topicSpec(output, 3), topicSpec(dlqTopic(group), 1)]);
  });

  it('produces exactly one output per input, keeps per-key order, lets fast records pass a slow one, and dead-letters then replays a poison record', async () => {
    const producer = new EventProducer(kafka);
    const keys = Array.from({ length: 20 }, (_, i) => `run-${i}`);
    const records = keys.flatMap((key) => [1, 2, 3].map((seq) => ({ topic: input, key, value: Buffer.from(JSON.stringify({ key, seq })) })));
    records.push({ topic: input, key: 'poison', value: Buffer.from(JSON.stringify({ key: 'poison', seq: 1 })) });
    let poisonFixed = false;
    let slowFinishedAt = 0;
    const finishedAt = new Map<string, number>();
    const handler = async (record: InboundRecord) => {
      const body = JSON.parse(record.value.toString()) as { key: string; seq: number };
      if (body.key === 'poison' && !poisonFixed) throw new WeaverError('UNAVAILABLE', 'downstream is down', { retriable: true });
      if (body.key === 'run-0' && body.seq === 1) {
        await new Promise((r) => setTimeout(r, 2_000));
        slowFinishedAt = Date.now();
      }
      finishedAt.set(`${body.key}/${body.seq}`, Date.now());
      return [{ topic: output, key: record.key, value: Buffer.from(JSON.stringify({ ...body, done: true })) }];
    };
    const processor = new EosProcessor({ kafka, group, topics: [input], handler, logger, metrics: new Metrics('t'), retry: { maxAttempts: 3, baseMs: 20, maxMs: 50 } });
    await processor.start();
    await producer.send(records);

    const outputs = await readAll(kafka, output, 60, 30_000);
    expect(outputs).toHaveLength(60);
    const seen = new Map<string, number[]>();
    for (const o of outputs) {
      const body = JSON.parse(o.value.toString()) as { key: string; seq: number };
      seen.set(body.key, [...(seen.get(body.key) ?? []), body.seq]);
    }
    for (const key of keys) expect(seen.get(key)).toEqual([1, 2, 3]); // once each, in order
    // The slow record did not hold back other runs on its partition.
    const overtook = [...finishedAt].filter(([k, t]) => !k.startsWith('run-0/') && t < slowFinishedAt);
    expect(overtook.length).toBeGreaterThan(30);

    const dead = await readAll(kafka, dlqTopic(group), 1, 20_000);
    expect(dead[0]!.headers[DlqHeaders.errorMessage]).toBe('downstream is down');
    expect(dead[0]!.headers[DlqHeaders.attempts]).toBe('3');

    poisonFixed = true;
    const replay = await replayDeadLetters({ kafka, group, logger, metrics: new Metrics('t') });
    expect(replay.replayed).toBe(1);
    const after = await readAll(kafka, output, 61, 30_000);
    expect(after.filter((o) => o.key === 'poison')).toHaveLength(1);

    // Replaying the DLQ again re-drives nothing: the replay's own offsets committed with its outputs.
    const again = await replayDeadLetters({ kafka, group, logger, metrics: new Metrics('t') });
    expect(again.replayed).toBe(0);

    await processor.stop();
    await producer.disconnect();
  });

  it('replays a range of a topic from an offset', async () => {
    const topic = `test.range.${id}`;
    await provisionTopics(kafka, [topicSpec(topic, 1)]);
    const producer = new EventProducer(kafka);
    await producer.send(Array.from({ length: 10 }, (_, i) => ({ topic, key: 'k', value: Buffer.from(String(i)) })));
    const result = await replayRange({ kafka, topic, fromOffset: 6n, logger });
    expect(result.replayed).toBe(4);
    const all = await readAll(kafka, topic, 14, 20_000);
    expect(all.slice(10).map((r) => r.value.toString())).toEqual(['6', '7', '8', '9']);
    expect(all[10]!.headers['weaver-replayed-from']).toBe(`${topic}/0@6`);
    await producer.disconnect();
  });

  it('replays a time range of a topic', async () => {
    const topic = `test.time-range.${id}`;
    await provisionTopics(kafka, [topicSpec(topic, 2)]);
    const producer = new EventProducer(kafka);
    await producer.send(Array.from({ length: 6 }, (_, i) => ({ topic, key: `k${i}`, value: Buffer.from(`before-${i}`) })));
    await new Promise((r) => setTimeout(r, 50));
    const from = new Date();
    await producer.send(Array.from({ length: 4 }, (_, i) => ({ topic, key: `k${i}`, value: Buffer.from(`after-${i}`) })));
    await new Promise((r) => setTimeout(r, 50));
    const to = new Date();
    await producer.send([{ topic, key: 'k0', value: Buffer.from('later') }]);
    const result = await replayRange({ kafka, topic, fromTime: from, toTime: to, logger });
    expect(result.replayed).toBe(4);
    const all = await readAll(kafka, topic, 15, 20_000);
    const replayed = all.filter((r) => r.headers['weaver-replayed-from']).map((r) => r.value.toString()).sort();
    expect(replayed).toEqual(['after-0', 'after-1', 'after-2', 'after-3']);
    await producer.disconnect();
  });
});
