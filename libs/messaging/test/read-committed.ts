import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { decodeHeaders, type InboundRecord } from '../src';

/**
 * Reads a topic from the beginning as a read-committed consumer until `expected` records arrived
 * and no more come for a moment (so a duplicate would still be seen), or the timeout passes.
 */
export async function readAll(kafka: Kafka, topic: string, expected: number, timeoutMs: number): Promise<InboundRecord[]> {
  const consumer = kafka.consumer({ groupId: `test-reader-${randomUUID()}`, readUncommitted: false, maxWaitTimeInMs: 100 });
  const out: InboundRecord[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let last = Date.now();
  await consumer.run({
    eachMessage: async ({ message, partition }) => {
      last = Date.now();
      out.push({
        topic,
        partition,
        offset: message.offset,
        key: message.key?.toString() ?? null,
        value: message.value ?? Buffer.alloc(0),
        headers: decodeHeaders(message.headers),
        timestamp: message.timestamp,
      });
    },
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !(out.length >= expected && Date.now() - last > 1_000)) await new Promise((r) => setTimeout(r, 100));
  await consumer.disconnect();
  return out;
}
