import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { sleep } from './backoff';
import { decodeHeaders, type InboundRecord } from './records';

/**
 * Reads topics from the beginning to their current end as a read-committed consumer (what any
 * downstream consumer sees: aborted transactions are invisible). For audits, tools and tests.
 */
export async function readTopicsToEnd(kafka: Kafka, topics: string[], timeoutMs = 120_000): Promise<InboundRecord[]> {
  const admin = kafka.admin();
  await admin.connect();
  const remaining = new Map<string, bigint>();
  try {
    for (const topic of topics) {
      for (const o of await admin.fetchTopicOffsets(topic)) if (BigInt(o.high) > BigInt(o.low)) remaining.set(`${topic}:${o.partition}`, BigInt(o.high));
    }
  } finally {
    await admin.disconnect();
  }
  const out: InboundRecord[] = [];
  if (remaining.size === 0) return out;
  const consumer = kafka.consumer({ groupId: `weaver.reader.${randomUUID()}`, readUncommitted: false, maxWaitTimeInMs: 100, maxBytes: 16 * 1024 * 1024 });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      const id = `${batch.topic}:${batch.partition}`;
      const end = remaining.get(id);
      for (const m of batch.messages) {
        if (end === undefined || BigInt(m.offset) >= end) break;
        out.push({ topic: batch.topic, partition: batch.partition, offset: m.offset, key: m.key?.toString('utf8') ?? null, value: m.value ?? Buffer.alloc(0), headers: decodeHeaders(m.headers), timestamp: m.timestamp });
      }
    },
  });
  const deadline = Date.now() + timeoutMs;
  let lastCount = -1;
  let stableSince = Date.now();
  // Under read-committed the last offsets of a partition may be transaction markers that are
  // never delivered, so "reached the end" is: nothing new for a few seconds.
  while (Date.now() < deadline) {
    if (out.length !== lastCount) {
      lastCount = out.length;
      stableSince = Date.now();
    } else if (Date.now() - stableSince > 3_000) break;
    await sleep(100);
  }
  await consumer.disconnect();
  return out;
}
