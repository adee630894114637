import type { FieldViolation } from '@weaver/errors';
import { DlqHeaders, redriveOf } from './dead-letter';
import { EnvelopeHeaders } from './envelope-codec';
import type { KafkaConnection } from './kafka/connection';
import { EventProducer } from './kafka/event-producer';
import { awaitStable, groupOffsets, topicOffsets } from './kafka/offsets';
import { replayGroupOf } from './replay';
import { readRange } from './kafka/range-reader';
import { listTopics } from './kafka/topic-provisioner';
import type { InboundRecord } from './records';
import { TOPIC_VERSION, type TopicNames } from './topics';

/** A dead letter as the admin API shows it: where it is, whose it is, and what failed (from its headers). */
export interface DeadLetterInfo {
  topic: string;
  partition: number;
  offset: string;
  /** The consumer group that gave up on it. */
  group: string;
  tenantId: string | null;
  runId: string | null;
  eventType: string | null;
  error: { code: string; message: string; violations?: FieldViolation[] };
  attempts: number;
  source: { topic: string; partition: number; offset: string } | null;
  deadLetteredAt: string;
}

const DLQ_PREFIX = 'weaver.dlq.';
const DLQ_SUFFIX = `.${TOPIC_VERSION}`;

/** The group whose DLQ a topic is (`weaver.dlq.<group>.v1`), or undefined for other topics. */
export function groupOfDlq(topic: string): string | undefined {
  return topic.startsWith(DLQ_PREFIX) && topic.endsWith(DLQ_SUFFIX) ? topic.slice(DLQ_PREFIX.length, -DLQ_SUFFIX.length) : undefined;
}

/** This installation's DLQ topics (its namespace's groups, isolated tenants' included), sorted. */
export async function deadLetterTopics(kafka: KafkaConnection, names: TopicNames): Promise<string[]> {
  const prefix = `${DLQ_PREFIX}${names.group('')}`;
  return (await listTopics(kafka)).filter((t) => t.startsWith(prefix) && groupOfDlq(t) !== undefined).sort();
}

function violationsOf(header: string | undefined): FieldViolation[] | undefined {
  if (!header) return undefined;
  try {
    const parsed: unknown = JSON.parse(header);
    return Array.isArray(parsed) ? parsed.filter((v): v is FieldViolation => typeof v?.field === 'string' && typeof v?.rule === 'string') : undefined;
  } catch {
    return undefined; // cut at its cap: the message still names them
  }
}

export function describeDeadLetter(r: InboundRecord): DeadLetterInfo {
  const h = r.headers;
  const sourceTopic = h[DlqHeaders.sourceTopic];
  const violations = violationsOf(h[DlqHeaders.violations]);
  return {
    topic: r.topic,
    partition: r.partition,
    offset: r.offset,
    group: h[DlqHeaders.group] ?? groupOfDlq(r.topic) ?? '',
    tenantId: h[EnvelopeHeaders.tenant] || null,
    runId: h[EnvelopeHeaders.run] || null,
    eventType: h[EnvelopeHeaders.type] || null,
    error: { code: h[DlqHeaders.errorCode] ?? 'INTERNAL', message: h[DlqHeaders.errorMessage] ?? '', ...(violations ? { violations } : {}) },
    attempts: Number(h[DlqHeaders.attempts] ?? 0),
    source: sourceTopic ? { topic: sourceTopic, partition: Number(h[DlqHeaders.sourcePartition] ?? 0), offset: h[DlqHeaders.sourceOffset] ?? '' } : null,
    deadLetteredAt: h[DlqHeaders.failedAt] ?? new Date(Number(r.timestamp)).toISOString(),
  };
}

/**
 * Reads at most `max` offsets of each partition of a DLQ topic from `from` (default its start) up
 * to `to` (exclusive; default its end when the read starts), read-committed; `ends` is where the
 * read stopped per partition (the next page starts there). `settle`: first wait for transactions
 * still open on the topic (a letter whose run is already marked failed may not be committed yet),
 * then read up to the high watermark. One throwaway consumer per call: admin reads, never on a
 * step's path.
 */
export async function readDeadLetters(
  kafka: KafkaConnection,
  topic: string,
  opts: { from?: Map<number, bigint> | bigint; to?: Map<number, bigint> | bigint; max: number; settle?: boolean; timeoutMs?: number },
): Promise<{ records: InboundRecord[]; ends: Map<number, bigint>; done: boolean }> {
  const offsets = await topicOffsets(kafka, topic);
  const open = offsets.filter((o) => o.stable < o.high);
  if (opts.settle && open.length) await awaitStable(kafka, topic, new Map(open.map((o) => [o.partition, o.high])), opts.timeoutMs ?? 60_000);
  const range = new Map<number, { start: bigint; end: bigint }>();
  let done = true;
  for (const o of offsets) {
    const start = maxOf(o.low, at(opts.from, o.partition) ?? o.low);
    const stop = minOf(opts.settle ? o.high : o.stable, at(opts.to, o.partition) ?? o.high);
    const end = maxOf(start, minOf(stop, start + BigInt(opts.max)));
    if (end < stop) done = false;
    range.set(o.partition, { start, end });
  }
  const records = await readRange(kafka, topic, range, opts.timeoutMs);
  records.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
  return { records, ends: new Map([...range].map(([p, r]) => [p, r.end])), done };
}

/** Writes the letters back to their source topics in one transaction (see `redriveOf`). */
export async function redriveDeadLetters(kafka: KafkaConnection, letters: readonly InboundRecord[], transactionalId: string): Promise<void> {
  if (!letters.length) return;
  const producer = new EventProducer(kafka, transactionalId);
  try {
    await producer.sendTransactional(letters.map(redriveOf));
  } finally {
    await producer.disconnect();
  }
}

/** Where the replay group of `POST /v1/dlq/:group/replay` stands on a DLQ (letters below it were re-driven by it). */
export async function legacyReplayedBelow(kafka: KafkaConnection, topic: string): Promise<Map<number, bigint>> {
  const group = groupOfDlq(topic);
  return group === undefined ? new Map() : groupOffsets(kafka, replayGroupOf(group), topic);
}

const at = (v: Map<number, bigint> | bigint | undefined, partition: number): bigint | undefined => (typeof v === 'bigint' ? v : v?.get(partition));
const maxOf = (a: bigint, b: bigint): bigint => (a > b ? a : b);
const minOf = (a: bigint, b: bigint): bigint => (a < b ? a : b);
