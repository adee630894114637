import type { InboundRecord } from './records';

/** The content type of a CloudEvent in structured mode (CloudEvents JSON format, Kafka binding). */
export const CLOUDEVENTS_JSON = 'application/cloudevents+json';

/** How a record on the triggers topic is written: Weaver's protobuf envelope, or a CloudEvent. */
export type RecordFormat = 'protobuf' | 'cloudevents-json' | 'cloudevents-binary';

const BRACE = 0x7b; // '{'

/**
 * Which decoder a record needs, from its headers and first byte, without parsing it:
 * - a `content-type` header starting with `application/cloudevents+json`: a structured CloudEvent;
 * - a `ce_specversion` header: a CloudEvent in binary mode (refused by the dispatcher, named);
 * - no such header and a value starting with `{`: a structured CloudEvent (a producer that sets
 *   no headers, e.g. `kcat -P`) — a protobuf envelope never starts with `{`: its first byte is
 *   field 1's tag (0x0a), and 0x7b would be a deprecated group start ts-proto never writes;
 * - anything else: the protobuf envelope (the gateway, the scheduler, `kafka:` triggers).
 * Leading whitespace is not skipped: 0x0a is both a newline and the envelope's first byte.
 */
export function recordFormat(record: Pick<InboundRecord, 'value' | 'headers'>): RecordFormat {
  const contentType = record.headers['content-type'] ?? record.headers['Content-Type'];
  if (contentType !== undefined && contentType.toLowerCase().startsWith(CLOUDEVENTS_JSON)) return 'cloudevents-json';
  if (record.headers['ce_specversion'] !== undefined) return 'cloudevents-binary';
  return record.value[0] === BRACE ? 'cloudevents-json' : 'protobuf';
}
