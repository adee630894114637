import type { Logger, Metrics } from '@weaver/observability';
import { DlqHeaders, redriveOf } from './dead-letter';
import type { KafkaConnection } from './kafka/connection';
import { EventProducer } from './kafka/event-producer';
import { awaitStable, groupOffsets, offsetsAtTime, topicOffsets, type PartitionOffsets } from './kafka/offsets';
import { readRange } from './kafka/range-reader';
import type { InboundRecord, OutboundRecord } from './records';
import { dlqTopic } from './topics';

export interface ReplayDeadLettersOptions {
  kafka: KafkaConnection;
  /** The consumer group whose dead letters to re-drive. */
  group: string;
  logger: Logger;
  metrics?: Metrics;
  /** Re-drive only matching dead letters; the others are passed over (and not replayed later). */
  filter?: (record: InboundRecord) => boolean;
  timeoutMs?: number;
  batchSize?: number;
}

/** The group whose committed position on a DLQ marks what was re-driven (dead letters below it are done). */
export const replayGroupOf = (group: string): string => `weaver.replay.${group}`;

/**
 * Re-drives a group's dead letters to their source topics, once each. The DLQ is read from the
 * replay group's committed position up to its end *when the replay starts* (a re-driven record
 * that fails again lands after that end, so a replay never loops), and the re-driven records
 * and the replay group's new position commit in one transaction: an interrupted replay resumes
 * where it stopped and never re-drives a dead letter twice.
 *
 * "Its end" is the high watermark, not the last stable offset: a dead letter's transaction may
 * still be open when the replay starts (the run is already marked failed in PostgreSQL by then,
 * so a person or a test replays at once). The replay waits for such transactions to commit or
 * abort, then reads what they committed.
 */
export async function replayDeadLetters(opts: ReplayDeadLettersOptions): Promise<{ replayed: number; skipped: number }> {
  const topic = dlqTopic(opts.group);
  const replayGroup = replayGroupOf(opts.group);
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const [offsets, committed] = await Promise.all([topicOffsets(opts.kafka, topic), groupOffsets(opts.kafka, replayGroup, topic)]);
  const range = new Map(offsets.map((o) => [o.partition, { start: committed.get(o.partition) ?? o.low, end: o.high }]));
  await settle(opts.kafka, topic, offsets, range, timeoutMs, opts.logger);
  const records = await readRange(opts.kafka, topic, range, timeoutMs);
  const producer = new EventProducer(opts.kafka, `weaver-replay.${opts.group}`);
  let replayed = 0;
  let skipped = 0;
  try {
    const size = opts.batchSize ?? 500;
    for (let i = 0; i < records.length; i += size) {
      const chunk = records.slice(i, i + size);
      const out: OutboundRecord[] = [];
      for (const record of chunk) {
        if (opts.filter && !opts.filter(record)) {
          skipped++;
          continue;
        }
        out.push(redriveOf(record));
        opts.logger.info({ source: record.headers[DlqHeaders.sourceTopic], offset: record.headers[DlqHeaders.sourceOffset], error: record.headers[DlqHeaders.errorMessage] }, 're-driving dead letter');
      }
      const next = new Map<number, bigint>();
      for (const r of chunk) next.set(r.partition, BigInt(r.offset) + 1n);
      await producer.sendTransactional(out, { group: replayGroup, topic, offsets: next });
      replayed += out.length;
    }
  } finally {
    await producer.disconnect();
  }
  return { replayed, skipped };
}

export interface ReplayRangeOptions {
  kafka: KafkaConnection;
  topic: string;
  /** Start at this offset on every selected partition, or at the first record at/after `fromTime`. */
  fromOffset?: bigint;
  fromTime?: Date;
  /** Stop before records at/after this time (default: the end of the topic when the replay starts). */
  toTime?: Date;
  partitions?: number[];
  logger: Logger;
  batchSize?: number;
}

/**
 * Re-drives a slice of a topic (by offset or time range) by writing those records again, with a
 * `weaver-replayed-from` header. Downstream side effects are keyed by (tenant, run, step), so a
 * replayed step returns its recorded result instead of repeating work.
 */
export async function replayRange(opts: ReplayRangeOptions): Promise<{ replayed: number }> {
  if (opts.fromOffset === undefined && !opts.fromTime) throw new Error('replayRange needs fromOffset or fromTime');
  const offsets = (await topicOffsets(opts.kafka, opts.topic)).filter((o) => !opts.partitions || opts.partitions.includes(o.partition));
  const starts = opts.fromTime ? await offsetsAtTime(opts.kafka, opts.topic, opts.fromTime) : new Map(offsets.map((o) => [o.partition, opts.fromOffset!]));
  const range = new Map(offsets.map((o) => [o.partition, { start: starts.get(o.partition) ?? o.high, end: o.high }]));
  await settle(opts.kafka, opts.topic, offsets, range, 60_000, opts.logger);
  const records = (await readRange(opts.kafka, opts.topic, range)).filter((r) => !opts.toTime || Number(r.timestamp) < opts.toTime.getTime());
  const producer = new EventProducer(opts.kafka, `weaver-replay-range.${opts.topic}.${Date.now()}`);
  try {
    const size = opts.batchSize ?? 500;
    for (let i = 0; i < records.length; i += size) {
      await producer.sendTransactional(
        records.slice(i, i + size).map((m) => ({ topic: opts.topic, key: m.key, value: m.value, headers: { ...m.headers, 'weaver-replayed-from': `${opts.topic}/${m.partition}@${m.offset}` } })),
      );
    }
  } finally {
    await producer.disconnect();
  }
  opts.logger.info({ topic: opts.topic, replayed: records.length }, 'range replayed');
  return { replayed: records.length };
}

/** Waits for transactions still open inside the range to end (see `awaitStable`), saying so. */
async function settle(kafka: KafkaConnection, topic: string, offsets: PartitionOffsets[], range: Map<number, { start: bigint; end: bigint }>, timeoutMs: number, logger: Logger): Promise<void> {
  const open = offsets.filter((o) => o.stable < o.high && (range.get(o.partition)?.start ?? o.high) < o.high);
  if (open.length === 0) return;
  logger.info({ topic, partitions: open.map((o) => o.partition) }, 'waiting for open transactions before replaying');
  await awaitStable(kafka, topic, new Map(open.map((o) => [o.partition, o.high])), timeoutMs);
}
