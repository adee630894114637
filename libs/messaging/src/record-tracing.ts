import { extractTraceContext, inSpan, isTracing, SpanKind, WeaverAttr, withTraceHeaders, type Span } from '@weaver/observability';
import { EnvelopeHeaders } from './envelope-codec';
import type { InboundRecord, OutboundRecord } from './records';

/**
 * W3C trace context on Kafka records, in the record headers (`traceparent`, `tracestate`), the
 * way OpenTelemetry's messaging conventions and other Kafka clients' instrumentations carry it:
 * readable without decoding (or unsealing) the envelope, kept by MirrorMaker and by dead
 * letters, and set in one place for every record whatever its payload. (The envelope's
 * `trace_context` field is therefore left empty; see docs/observability.md.)
 */

/** The records with the active span's context in their headers (the same array when tracing is off). */
export function traceRecords(records: OutboundRecord[]): OutboundRecord[] {
  if (!isTracing()) return records;
  return records.map((r) => ({ ...r, headers: withTraceHeaders(r.headers) }));
}

/**
 * Processes one consumed record in a CONSUMER span whose parent is the span that produced it:
 * the span of one step. Records produced inside `work` (see `traceRecords`) carry this span, so
 * the next step's span is its child.
 */
export function consumeSpan<T>(record: InboundRecord, group: string, work: (span: Span) => Promise<T>): Promise<T> {
  if (!isTracing()) return inSpan('', {}, work);
  const h = record.headers;
  return inSpan(`process ${record.topic}`, {
    kind: SpanKind.CONSUMER,
    parent: extractTraceContext(h),
    attributes: {
      'messaging.system': 'kafka',
      'messaging.operation.type': 'process',
      'messaging.destination.name': record.topic,
      'messaging.destination.partition.id': String(record.partition),
      'messaging.consumer.group.name': group,
      'messaging.kafka.offset': Number(record.offset),
      ...(h[EnvelopeHeaders.type] ? { [WeaverAttr.eventType]: h[EnvelopeHeaders.type] } : {}),
      ...(h[EnvelopeHeaders.tenant] ? { [WeaverAttr.tenant]: h[EnvelopeHeaders.tenant] } : {}),
      ...(h[EnvelopeHeaders.run] ? { [WeaverAttr.run]: h[EnvelopeHeaders.run] } : {}),
    },
  }, work);
}
