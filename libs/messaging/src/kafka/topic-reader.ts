import type { InboundRecord } from '../records';
import { partitionKey, readCommitted } from './committed-reader';
import type { KafkaConnection } from './connection';
import { topicOffsets } from './offsets';

/**
 * Reads topics from the beginning to their last stable offset now, as a read-committed
 * consumer (what any downstream consumer sees: aborted transactions are invisible). For
 * audits, tools and tests.
 */
export async function readTopicsToEnd(connection: KafkaConnection, topics: string[], timeoutMs = 120_000): Promise<InboundRecord[]> {
  const ends = await stableEnds(connection, topics);
  if (ends.size === 0) return [];
  return readCommitted(connection, { topics, endsWhen: async () => ends, timeoutMs, what: topics.join(', ') });
}

/**
 * Follows topics from the beginning until `enough(records)` holds, then reads on to their last
 * stable offset at that moment, so a duplicate committed by then is still seen. For tests and
 * audits waiting on work that is still being done.
 */
export async function readTopicsUntil(connection: KafkaConnection, topics: string[], enough: (records: readonly InboundRecord[]) => boolean, timeoutMs = 30_000): Promise<InboundRecord[]> {
  return readCommitted(connection, { topics, endsWhen: async (records) => (enough(records) ? stableEnds(connection, topics) : undefined), timeoutMs, what: topics.join(', ') });
}

async function stableEnds(connection: KafkaConnection, topics: string[]): Promise<Map<string, bigint>> {
  const ends = new Map<string, bigint>();
  for (const topic of topics) for (const o of await topicOffsets(connection, topic)) if (o.stable > o.low) ends.set(partitionKey(topic, o.partition), o.stable);
  return ends;
}
