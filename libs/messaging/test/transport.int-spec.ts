import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { createKafka, deadLetterOf, provisionTopics, readTopicsToEnd, readTopicsUntil, replayDeadLetters, dlqTopic, topicOffsets, topicSpec, type KafkaConnection } from '../src';
import { kafkaClient } from '../src/kafka/connection';
import { inTransaction, topicMessagesOf } from '../src/kafka/transaction';

/**
 * The Kafka transport's own promises, on the real broker: offsets tell an open transaction
 * apart (last stable offset below the high watermark), reads end exactly at the end, and a
 * DLQ replay started while a dead letter's transaction is still open waits for it.
 */
describe('Kafka transport against a real broker', () => {
  let kafka: KafkaConnection;
  const id = randomUUID().slice(0, 8);

  beforeAll(() => {
    kafka = createKafka({ brokers: [process.env['WEAVER_TEST_KAFKA_BROKERS']!], clientId: 'transport-test' });
  });

  /** A raw transactional producer, so a test can hold a transaction open as long as it likes. */
  async function transactionalProducer(name: string) {
    const producer = kafkaClient(kafka).producer({ transactionalId: `test-${name}-${id}`, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    return producer;
  }

  /** The offsets once the stable offset reached `atLeast` (markers are written asynchronously), or after 10 s. */
  async function offsetsOnceStable(topic: string, atLeast: bigint) {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const offsets = await topicOffsets(kafka, topic);
      if (offsets[0]!.stable >= atLeast || Date.now() > deadline) return offsets;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('sees an open transaction as stable offset below the high watermark, and reads only what committed', async () => {
    const topic = `test.transport.${id}`;
    await provisionTopics(kafka, [topicSpec(topic, 1)]);
    const producer = await transactionalProducer('offsets');
    try {
      await inTransaction(producer, (txn) => txn.sendBatch({ topicMessages: topicMessagesOf([{ topic, key: 'a', value: Buffer.from('committed') }]) }));
      await expect(inTransaction(producer, async (txn) => {
        await txn.sendBatch({ topicMessages: topicMessagesOf([{ topic, key: 'b', value: Buffer.from('aborted') }]) });
        throw new Error('handler failed');
      })).rejects.toThrow('handler failed');
      const open = await producer.transaction();
      await open.send({ topic, messages: [{ key: 'c', value: Buffer.from('open') }] });
      // committed record + marker, aborted record + marker, then the open record. The
      // coordinator writes a transaction's marker after EndTxn answers, so on a loaded broker
      // the abort marker may land a moment later: wait for it (bounded), then check exactly.
      const [during] = await offsetsOnceStable(topic, 4n);
      expect(during).toEqual({ partition: 0, low: 0n, stable: 4n, high: 5n });
      expect((await readTopicsToEnd(kafka, [topic])).map((r) => r.value.toString())).toEqual(['committed']);
      await open.commit();
      const [after] = await offsetsOnceStable(topic, 6n);
      expect(after).toEqual({ partition: 0, low: 0n, stable: 6n, high: 6n });
      expect((await readTopicsToEnd(kafka, [topic])).map((r) => r.value.toString())).toEqual(['committed', 'open']);
    } finally {
      await producer.disconnect();
    }
  });

  it('replays a dead letter whose transaction was still open when the replay started (commit), and nothing when it aborts', async () => {
    const group = `test-replay-race-${id}`;
    const source = `test.replay-src.${id}`;
    await provisionTopics(kafka, [topicSpec(source, 1), topicSpec(dlqTopic(group), 1)]);
    const producer = await transactionalProducer('dlq');
    const original = { topic: source, partition: 0, offset: '0', key: 'run-1', value: Buffer.from('{"step":"writer"}'), headers: { 'weaver-run': 'run-1' }, timestamp: String(Date.now()) };
    try {
      for (const outcome of ['commit', 'abort'] as const) {
        // As the step executor does it: the run is already failed in PostgreSQL, the dead
        // letter's transaction not yet committed; the replay is asked for in between.
        const txn = await producer.transaction();
        await txn.sendBatch({ topicMessages: topicMessagesOf([deadLetterOf(original, group, new Error(`boom (${outcome})`), 3)]) });
        const { logger, waiting } = loggerSignalling('waiting for open transactions before replaying');
        const replay = replayDeadLetters({ kafka, group, logger });
        // Before the fix the replay finished here, having read the DLQ up to its stable offset: nothing.
        expect(await Promise.race([waiting, replay])).toBe('waiting');
        if (outcome === 'commit') await txn.commit();
        else await txn.abort();
        expect(await replay).toEqual({ replayed: outcome === 'commit' ? 1 : 0, skipped: 0 });
      }
      const redriven = await readTopicsUntil(kafka, [source], (rs) => rs.length >= 1);
      expect(redriven.map((r) => [r.key, r.value.toString(), r.headers['weaver-replayed-from']])).toEqual([['run-1', '{"step":"writer"}', `${dlqTopic(group)}/0@0`]]);
    } finally {
      await producer.disconnect();
    }
  });
});

/** A logger whose `waiting` resolves (to "waiting") once a line with `message` is logged. */
function loggerSignalling(message: string): { logger: pino.Logger; waiting: Promise<'waiting'> } {
  let resolve!: (v: 'waiting') => void;
  const waiting = new Promise<'waiting'>((r) => (resolve = r));
  const logger = pino({ level: 'info' }, { write: (line: string) => void (line.includes(message) && resolve('waiting')) });
  return { logger, waiting };
}
