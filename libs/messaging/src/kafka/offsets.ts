import type { Kafka } from 'kafkajs';
import { UnavailableError } from '@weaver/errors';
import { sleep } from '../backoff';
import { kafkaClient, type KafkaConnection } from './connection';

/**
 * Where a partition's log stands. `stable` is the last stable offset (LSO): below it every
 * transaction is decided, so a read-committed reader can see all of it. `high` is the high
 * watermark: it also counts records of transactions still open. `stable < high` means a
 * transaction on the partition has not committed or aborted yet.
 */
export interface PartitionOffsets {
  partition: number;
  low: bigint;
  stable: bigint;
  high: bigint;
}

export async function topicOffsets(connection: KafkaConnection, topic: string): Promise<PartitionOffsets[]> {
  const client = kafkaClient(connection);
  // Right after a topic is created its leaders may still be moving into place: ListOffsets then
  // answers NOT_LEADER_OR_FOLLOWER / UNKNOWN_TOPIC_OR_PARTITION, retriable errors the raw
  // cluster call does not retry (seen: a tail started just after provisioning). Retry briefly.
  for (let attempt = 1; ; attempt++) {
    try {
      const [committedView, high] = await Promise.all([withAdmin(client, (admin) => admin.fetchTopicOffsets(topic)), highWatermarks(client, topic)]);
      return committedView.map((o) => ({ partition: o.partition, low: BigInt(o.low), stable: BigInt(o.high), high: high.get(o.partition) ?? BigInt(o.high) }));
    } catch (error) {
      if ((error as { retriable?: boolean }).retriable !== true || attempt >= 8) throw error;
      await sleep(Math.min(1_000, 50 * 2 ** attempt));
    }
  }
}

/** The group's committed offset per partition of a topic (partitions it has none for are absent). */
export async function groupOffsets(connection: KafkaConnection, group: string, topic: string): Promise<Map<number, bigint>> {
  const [found] = await withAdmin(kafkaClient(connection), (admin) => admin.fetchOffsets({ groupId: group, topics: [topic] }));
  return new Map((found?.partitions ?? []).filter((p) => BigInt(p.offset) >= 0n).map((p) => [p.partition, BigInt(p.offset)]));
}

/** The first offset at or after `time` per partition (the end where there is none). */
export async function offsetsAtTime(connection: KafkaConnection, topic: string, time: Date): Promise<Map<number, bigint>> {
  const found = await withAdmin(kafkaClient(connection), (admin) => admin.fetchTopicOffsetsByTimestamp(topic, time.getTime()));
  return new Map(found.map((o) => [o.partition, BigInt(o.offset)]));
}

/**
 * Waits until every transaction holding records below `ends` has committed or aborted (the LSO
 * reached the end on each partition), so a read-committed read of `[start, end)` misses nothing
 * that will still become visible. Open transactions end within the producer's transaction
 * timeout (the broker aborts them then), so the wait is bounded.
 */
export async function awaitStable(connection: KafkaConnection, topic: string, ends: Map<number, bigint>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = (await topicOffsets(connection, topic)).filter((o) => o.stable < (ends.get(o.partition) ?? 0n));
    if (open.length === 0) return;
    if (Date.now() >= deadline) {
      const where = open.map((o) => `${o.partition} (stable ${o.stable}, needed ${ends.get(o.partition)})`).join(', ');
      throw new UnavailableError(`${topic}: a transaction is still open on partition(s) ${where} after ${timeoutMs} ms; try again once it ends`);
    }
    await sleep(50);
  }
}

async function withAdmin<T>(client: Kafka, work: (admin: ReturnType<Kafka['admin']>) => Promise<T>): Promise<T> {
  const admin = client.admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

/** kafkajs' cluster, as far as `highWatermarks` uses it (not part of its public types). */
interface RawCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  addTargetTopic(topic: string): Promise<void>;
  findTopicPartitionMetadata(topic: string): Array<{ partitionId: number }>;
  fetchTopicsOffset(topics: Array<{ topic: string; fromBeginning: boolean; partitions: Array<{ partition: number }> }>): Promise<Array<{ partitions: Array<{ partition: number; offset: string }> }>>;
}

const READ_UNCOMMITTED = 0;

/**
 * High watermarks by a read-uncommitted ListOffsets. kafkajs' admin asks read-committed only
 * (it answers the LSO), and nothing public asks otherwise, so this builds a cluster from the
 * client's own private factory, which keeps its brokers, retry and logger. kafkajs is pinned
 * (2.2.4, patched); libs/messaging/test/transport.int-spec.ts proves this against the broker.
 */
async function highWatermarks(client: Kafka, topic: string): Promise<Map<number, bigint>> {
  const factory = Object.getOwnPropertySymbols(client).find((s) => s.description === 'private:Kafka:createCluster');
  const create = factory && (client as unknown as Record<symbol, unknown>)[factory];
  if (typeof create !== 'function') throw new Error('kafkajs internals changed: Kafka has no private createCluster; see libs/messaging/src/kafka/offsets.ts');
  const cluster = (create as (o: object) => RawCluster).call(client, { allowAutoTopicCreation: false, isolationLevel: READ_UNCOMMITTED });
  await cluster.connect();
  try {
    await cluster.addTargetTopic(topic);
    const partitions = cluster.findTopicPartitionMetadata(topic).map((p) => ({ partition: p.partitionId }));
    const [found] = await cluster.fetchTopicsOffset([{ topic, fromBeginning: false, partitions }]);
    return new Map((found?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
  } finally {
    await cluster.disconnect();
  }
}
