import { randomUUID } from 'node:crypto';
import { DeadlineExceededError } from '@weaver/errors';
import { sleep } from '../backoff';
import type { InboundRecord } from '../records';
import { kafkaClient, type KafkaConnection } from './connection';
import { toInboundRecord } from './inbound';

/** `topic:partition`, the key of the maps below. */
export const partitionKey = (topic: string, partition: number): string => `${topic}:${partition}`;

export interface CommittedReadOptions {
  topics: string[];
  /** First offset per partition (default: its beginning); earlier records are left out. */
  starts?: Map<string, bigint>;
  /**
   * Where the read ends: asked after every fetch with what was read so far; `undefined` means
   * "keep reading". Once given, records at or past a partition's end are left out and the read
   * returns when every listed partition has been fetched up to its end.
   */
  endsWhen: (records: readonly InboundRecord[]) => Promise<Map<string, bigint> | undefined>;
  timeoutMs: number;
  /** For the timeout's message, e.g. "the DLQ of group x". */
  what: string;
  groupPrefix?: string;
}

/**
 * The one read-committed reader of libs/messaging: a throwaway group that commits nothing,
 * following each partition's fetch position exactly. kafkajs reports every fetched batch
 * (`END_BATCH_PROCESS`) with its last offset, also batches that held only transaction markers
 * or aborted records and so reach no handler; the read is over when each position reaches its
 * end. No "quiet for a while" guess: a stalled fetch loop waits, it does not end the read.
 * Ends must be at or below the last stable offset (see `awaitStable`), or the read waits for
 * the open transactions to finish.
 */
export async function readCommitted(connection: KafkaConnection, opts: CommittedReadOptions): Promise<InboundRecord[]> {
  const consumer = kafkaClient(connection).consumer({
    groupId: `${opts.groupPrefix ?? 'weaver.reader'}.${randomUUID()}`,
    readUncommitted: false,
    maxWaitTimeInMs: 100,
    maxBytes: 16 * 1024 * 1024,
  });
  const out: InboundRecord[] = [];
  const reached = new Map<string, bigint>();
  let ends: Map<string, bigint> | undefined;
  await consumer.connect();
  try {
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      for (const [topic, partitions] of Object.entries(payload.memberAssignment)) {
        for (const partition of partitions) {
          const start = opts.starts?.get(partitionKey(topic, partition));
          if (start !== undefined) consumer.seek({ topic, partition, offset: start.toString() });
        }
      }
    });
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      const key = partitionKey(payload.topic, payload.partition);
      const next = BigInt(payload.lastOffset) + 1n;
      if (next > (reached.get(key) ?? -1n)) reached.set(key, next);
    });
    await consumer.subscribe({ topics: opts.topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const key = partitionKey(batch.topic, batch.partition);
        const start = opts.starts?.get(key) ?? -1n;
        const end = ends?.get(key);
        for (const m of batch.messages) {
          const offset = BigInt(m.offset);
          if (offset < start) continue;
          if (end !== undefined && offset >= end) break;
          out.push(toInboundRecord(batch.topic, batch.partition, m));
        }
      },
    });
    const deadline = Date.now() + opts.timeoutMs;
    for (;;) {
      ends ??= await opts.endsWhen(out);
      if (ends && [...ends].every(([key, end]) => end <= (opts.starts?.get(key) ?? -1n) || (reached.get(key) ?? -1n) >= end)) break;
      if (Date.now() >= deadline) throw new DeadlineExceededError(`reading ${opts.what} did not reach its end within ${opts.timeoutMs} ms (${out.length} records read)`);
      await sleep(20);
    }
    return ends ? out.filter((r) => BigInt(r.offset) < (ends!.get(partitionKey(r.topic, r.partition)) ?? BigInt(r.offset) + 1n)) : out;
  } finally {
    await consumer.disconnect();
  }
}
