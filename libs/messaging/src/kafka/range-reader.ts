import type { InboundRecord } from '../records';
import { partitionKey, readCommitted } from './committed-reader';
import type { KafkaConnection } from './connection';

/**
 * Reads `[start, end)` of each given partition of a topic as a read-committed consumer, with a
 * throwaway group that commits nothing. Bounded by the end offsets captured by the caller, so
 * records written while it reads (e.g. a replay's own output) are never included. Ends above
 * the last stable offset make it wait for the open transactions below them.
 */
export async function readRange(connection: KafkaConnection, topic: string, range: Map<number, { start: bigint; end: bigint }>, timeoutMs = 60_000): Promise<InboundRecord[]> {
  const wanted = [...range].filter(([, r]) => r.start < r.end);
  if (wanted.length === 0) return [];
  const starts = new Map(wanted.map(([p, r]) => [partitionKey(topic, p), r.start]));
  const ends = new Map(wanted.map(([p, r]) => [partitionKey(topic, p), r.end]));
  return readCommitted(connection, { topics: [topic], starts, endsWhen: async () => ends, timeoutMs, what: `${topic} [${wanted.map(([p, r]) => `${p}: ${r.start}..${r.end}`).join(', ')}]`, groupPrefix: 'weaver.range' });
}
