import type { Kafka } from 'kafkajs';
import type { Logger, Metrics } from '@weaver/observability';
import { redriveOf, DlqHeaders } from './dead-letter';
import { EosProcessor } from './eos-processor';
import { EventProducer } from './event-producer';
import { decodeHeaders, type InboundRecord, type OutboundRecord } from './records';
import { Topics } from './topics';
import { sleep } from './backoff';

export interface ReplayDeadLettersOptions {
  kafka: Kafka;
  /** The consumer group whose dead letters to re-drive. */
  group: string;
  logger: Logger;
  metrics: Metrics;
  /** Re-drive only matching dead letters; the others are skipped (and stay in the DLQ topic). */
  filter?: (record: InboundRecord) => boolean;
  idleMs?: number;
  timeoutMs?: number;
}

/**
 * Re-drives a group's dead letters to their source topics, itself as an exactly-once hop: the
 * replay group's offsets and the re-driven records commit together, so each dead letter is
 * replayed once even if the replay is interrupted and started again.
 */
export async function replayDeadLetters(opts: ReplayDeadLettersOptions): Promise<{ replayed: number; skipped: number }> {
  let replayed = 0;
  let skipped = 0;
  let lastActivity = Date.now();
  const processor = new EosProcessor({
    kafka: opts.kafka,
    group: `weaver.replay.${opts.group}`,
    topics: [Topics.dlq(opts.group)],
    logger: opts.logger,
    metrics: opts.metrics,
    transactionalIdPrefix: 'weaver-replay',
    handler: async (record) => {
      lastActivity = Date.now();
      if (opts.filter && !opts.filter(record)) {
        skipped++;
        return [];
      }
      replayed++;
      opts.logger.info(
        { source: record.headers[DlqHeaders.sourceTopic], offset: record.headers[DlqHeaders.sourceOffset], error: record.headers[DlqHeaders.errorMessage] },
        're-driving dead letter',
      );
      return [redriveOf(record)];
    },
  });
  await processor.start();
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  const idleMs = opts.idleMs ?? 2_000;
  // A one-shot job: done when nothing new arrived for `idleMs` and nothing is in flight.
  while (Date.now() < deadline && (Date.now() - lastActivity < idleMs || processor.inFlight > 0)) await sleep(100);
  await processor.stop();
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
  const producer = new EventProducer(opts.kafka, `weaver-replay-range.${opts.topic}.${Date.now()}`);
  const consumer = opts.kafka.consumer({ groupId: `weaver.replay-range.${process.pid}.${Date.now()}`, readUncommitted: false, maxWaitTimeInMs: 100 });
  try {
    const ends = new Map((await admin.fetchTopicOffsets(opts.topic)).map((o) => [o.partition, BigInt(o.high)]));
    const starts = opts.fromTime
      ? new Map((await admin.fetchTopicOffsetsByTimestamp(opts.topic, opts.fromTime.getTime())).map((o) => [o.partition, BigInt(o.offset)]))
      : new Map([...ends.keys()].map((p) => [p, opts.fromOffset!]));
    const selected = [...ends.keys()].filter((p) => (!opts.partitions || opts.partitions.includes(p)) && (starts.get(p) ?? 0n) < (ends.get(p) ?? 0n));
    const pending = new Set(selected);
    const out: OutboundRecord[] = [];
    await consumer.connect();
    await consumer.subscribe({ topics: [opts.topic] });
    consumer.on(consumer.events.GROUP_JOIN, () => {
      for (const p of selected) consumer.seek({ topic: opts.topic, partition: p, offset: (starts.get(p) ?? 0n).toString() });
    });
    let replayed = 0;
    const flush = async (): Promise<void> => {
      if (!out.length) return;
      await producer.sendTransactional(out.splice(0));
    };
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const end = ends.get(batch.partition) ?? 0n;
        for (const m of batch.messages) {
          const offset = BigInt(m.offset);
          const beyondTime = opts.toTime && Number(m.timestamp) >= opts.toTime.getTime();
          if (offset >= end || beyondTime) {
            pending.delete(batch.partition);
            break;
          }
          out.push({
            topic: opts.topic,
            key: m.key ? m.key.toString('utf8') : null,
            value: m.value ?? Buffer.alloc(0),
            headers: { ...decodeHeaders(m.headers), 'weaver-replayed-from': `${opts.topic}/${batch.partition}@${m.offset}` },
          });
          replayed++;
          if (offset + 1n >= end) pending.delete(batch.partition);
        }
        if (out.length >= (opts.batchSize ?? 500)) await flush();
      },
    });
    const deadline = Date.now() + 60_000;
    while (pending.size && Date.now() < deadline) await sleep(100);
    await consumer.stop();
    await flush();
    opts.logger.info({ topic: opts.topic, replayed }, 'range replayed');
    return { replayed };
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}
