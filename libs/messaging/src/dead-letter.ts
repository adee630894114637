import { createHash } from 'node:crypto';
import { asWeaverError } from '@weaver/errors';
import { redactForLogs } from '@weaver/observability';
import type { InboundRecord, OutboundRecord } from './records';
import { dlqTopic } from './topics';

/** Header names a dead-lettered record carries, so a person (and replay) knows what failed where. */
export const DlqHeaders = {
  errorCode: 'weaver-dlq-error-code',
  errorMessage: 'weaver-dlq-error-message',
  attempts: 'weaver-dlq-attempts',
  sourceTopic: 'weaver-dlq-source-topic',
  sourcePartition: 'weaver-dlq-source-partition',
  sourceOffset: 'weaver-dlq-source-offset',
  group: 'weaver-dlq-group',
  failedAt: 'weaver-dlq-failed-at',
  ref: 'weaver-dlq-ref',
  /** A ValidationError's violations (JSON `[{field, rule}]`), so a list of dead letters names them. */
  violations: 'weaver-dlq-violations',
} as const;

/**
 * The id a failed record's error goes by outside the server: the dead-letter log line and the
 * dead letter's headers carry it, the run's public `error` names it (`ref …`), so an operator
 * finds the whole error from what a client saw. Derived from where the record was, so every
 * replica and every retry of the hook names the same one.
 */
export function deadLetterRef(record: Pick<InboundRecord, 'topic' | 'partition' | 'offset'>): string {
  return createHash('sha256').update(`${record.topic}\u0000${record.partition}\u0000${record.offset}`).digest('hex').slice(0, 16);
}

export function deadLetterOf(record: InboundRecord, group: string, error: unknown, attempts: number): OutboundRecord {
  const err = asWeaverError(error);
  return {
    topic: dlqTopic(group),
    key: record.key,
    value: record.value,
    headers: {
      ...record.headers,
      [DlqHeaders.errorCode]: err.code,
      // Headers are never sealed: the error text goes under the log rules (a step's error often quotes its input).
      [DlqHeaders.errorMessage]: redactForLogs(err.message.slice(0, 2000)),
      [DlqHeaders.attempts]: String(attempts),
      [DlqHeaders.sourceTopic]: record.topic,
      [DlqHeaders.sourcePartition]: String(record.partition),
      [DlqHeaders.sourceOffset]: record.offset,
      [DlqHeaders.group]: group,
      [DlqHeaders.failedAt]: new Date().toISOString(),
      [DlqHeaders.ref]: deadLetterRef(record),
      ...violationsHeader(err.details['violations']),
    },
  };
}

function violationsHeader(violations: unknown): Record<string, string> {
  if (!Array.isArray(violations) || !violations.length) return {};
  // Field names and rules are the platform's words; capped like the message.
  return { [DlqHeaders.violations]: redactForLogs(JSON.stringify(violations).slice(0, 2000)) };
}

/** The record to re-drive from a dead letter: the original value and headers, back on its source topic. */
export function redriveOf(dead: InboundRecord): OutboundRecord {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(dead.headers)) if (!k.startsWith('weaver-dlq-')) headers[k] = v;
  const source = dead.headers[DlqHeaders.sourceTopic];
  if (!source) throw new Error(`dead letter at ${dead.topic}/${dead.partition}@${dead.offset} has no ${DlqHeaders.sourceTopic} header`);
  headers['weaver-replayed-from'] = `${dead.topic}/${dead.partition}@${dead.offset}`;
  return { topic: source, key: dead.key, value: dead.value, headers };
}
