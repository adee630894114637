import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { sleep } from './backoff';
import { decodeHeaders, type InboundRecord } from './records';

/**
 * Reads `[start, end)` of each given partition of a topic as a read-committed consumer, with a
 * throwaway group that commits nothing. Bounded by the end offsets captured by the caller, so
 * records written while it reads (e.g. a replay's own output) are never included.
 */
export async function readRange(kafka: Kafka, topic: string, range: Map<number, { start: bigint; end: bigint }>, timeoutMs = 60_000): Promise<InboundRecord[]> {
  const pending = new Set([...range].filter(([, r]) => r.start < r.end).map(([p]) => p));
  const out: InboundRecord[] = [];
  if (pending.size === 0) return out;
  const consumer = kafka.consumer({ groupId: `weaver.range.${randomUUID()}`, readUncommitted: false, maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic] });
    let joined = false;
    let lastActivity = Date.now();
    consumer.on(consumer.events.GROUP_JOIN, () => {
      for (const p of pending) consumer.seek({ topic, partition: p, offset: range.get(p)!.start.toString() });
      joined = true;
      lastActivity = Date.now();
    });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const r = range.get(batch.partition);
        if (!r || !pending.has(batch.partition)) return;
        lastActivity = Date.now();
        for (const m of batch.messages) {
          const offset = BigInt(m.offset);
          if (offset < r.start) continue;
          if (offset >= r.end) break;
          out.push({ topic, partition: batch.partition, offset: m.offset, key: m.key?.toString('utf8') ?? null, value: m.value ?? Buffer.alloc(0), headers: decodeHeaders(m.headers), timestamp: m.timestamp });
        }
        if (BigInt(batch.lastOffset()) + 1n >= r.end) pending.delete(batch.partition);
      },
    });
    const deadline = Date.now() + timeoutMs;
    // Transaction markers are never delivered, so a partition ending in a marker never shows its
    // last offset: a fetch that stays quiet for a moment ends the read too.
    while (pending.size && Date.now() < deadline && (!joined || Date.now() - lastActivity < 3_000)) await sleep(50);
    return out;
  } finally {
    await consumer.disconnect();
  }
}
