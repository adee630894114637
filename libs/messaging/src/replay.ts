import type { Kafka } from 'kafkajs';
import type { Logger, Metrics } from '@weaver/observability';
import { DlqHeaders, redriveOf } from './dead-letter';
import { EventProducer } from './event-producer';
import { readRange } from './range-reader';
import type { InboundRecord, OutboundRecord } from './records';
import { Topics } from './topics';

export interface ReplayDeadLettersOptions {
  kafka: Kafka;
  /** The consumer group whose dead letters to re-drive. */
  group: string;
  logger: Logger;
  metrics?: Metrics;
  /** Re-drive only matching dead letters; the others are passed over (and not replayed later). */
  filter?: (record: InboundRecord) => boolean;
  timeoutMs?: number;
  batchSize?: number;
}

/**
 * Re-drives a group's dead letters to their source topics, once each. The DLQ is read from the
 * replay group's committed position up to its end *when the replay starts* (a re-driven record
 * that fails again lands after that end, so a replay never loops), and the re-driven records
 * and the replay group's new position commit in one transaction: an interrupted replay resumes
 * where it stopped and never re-drives a dead letter twice.
 */
export async function replayDeadLetters(opts: ReplayDeadLettersOptions): Promise<{ replayed: number; skipped: number }> {
  const topic = Topics.dlq(opts.group);
  const replayGroup = `weaver.replay.${opts.group}`;
  const admin = opts.kafka.admin();
  await admin.connect();
  let range: Map<number, { start: bigint; end: bigint }>;
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const [committed] = await admin.fetchOffsets({ groupId: replayGroup, topics: [topic] });
    const at = new Map((committed?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
    range = new Map(ends.map((o) => [o.partition, { start: (at.get(o.partition) ?? -1n) >= 0n ? at.get(o.partition)! : BigInt(o.low), end: BigInt(o.high) }]));
  } finally {
    await admin.disconnect();
  }
  const records = await readRange(opts.kafka, topic, range, opts.timeoutMs);
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
  kafka: Kafka;
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
  const admin = opts.kafka.admin();
  await admin.connect();
  let range: Map<number, { start: bigint; end: bigint }>;
  try {
    const ends = new Map((await admin.fetchTopicOffsets(opts.topic)).map((o) => [o.partition, BigInt(o.high)]));
    const starts = opts.fromTime
      ? new Map((await admin.fetchTopicOffsetsByTimestamp(opts.topic, opts.fromTime.getTime())).map((o) => [o.partition, BigInt(o.offset)]))
      : new Map([...ends.keys()].map((p) => [p, opts.fromOffset!]));
    range = new Map([...ends].filter(([p]) => !opts.partitions || opts.partitions.includes(p)).map(([p, end]) => [p, { start: starts.get(p) ?? end, end }]));
  } finally {
    await admin.disconnect();
  }
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
