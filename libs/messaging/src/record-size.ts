import { ResourceExhaustedError } from '@weaver/errors';
import type { OutboundRecord } from './records';

/**
 * Sizes checked before a transaction, so one oversized output cannot make every commit of its
 * partition fail. The broker's default `message.max.bytes` is 1 MiB per record batch; a record
 * alone must stay under it with room for batch headers.
 */
export const DEFAULT_MAX_RECORD_BYTES = 1_000_000;
/** Bytes of outputs per transaction: big enough to batch, small enough for one produce request. */
export const DEFAULT_MAX_TRANSACTION_BYTES = 4 * 1024 * 1024;

/** Bytes a record takes on the wire, near enough: key, value, header names and values, framing. */
export function recordBytes(r: OutboundRecord): number {
  let n = 70 + r.value.length + (r.key ? Buffer.byteLength(r.key) : 0);
  for (const [k, v] of Object.entries(r.headers ?? {})) n += 2 + Buffer.byteLength(k) + Buffer.byteLength(v);
  return n;
}

export class RecordTooLargeError extends ResourceExhaustedError {
  constructor(topic: string, bytes: number, limit: number) {
    super(`output record for topic "${topic}" is ${bytes} bytes, over the ${limit}-byte record limit (store large results with the publisher and pass a reference)`, { topic, bytes, limit });
    this.name = 'RecordTooLargeError';
  }
}

/** Throws RecordTooLargeError (not retriable) for the first record over `limit`. */
export function assertRecordSizes(records: readonly OutboundRecord[], limit: number): number {
  let total = 0;
  for (const r of records) {
    const bytes = recordBytes(r);
    if (bytes > limit) throw new RecordTooLargeError(r.topic, bytes, limit);
    total += bytes;
  }
  return total;
}

/**
 * A dead letter that fits: the original value and headers plus the error headers; if that is
 * over the limit (a large input plus a long error), the error text is cut, then the value is
 * dropped with a header saying so — the dead letter still names the record and its error.
 */
export function fitDeadLetter(dead: OutboundRecord, limit: number): OutboundRecord {
  if (recordBytes(dead) <= limit) return dead;
  const headers = { ...dead.headers };
  for (const k of Object.keys(headers)) if (k === 'weaver-dlq-error-message') headers[k] = headers[k]!.slice(0, 500);
  const cut = { ...dead, headers };
  if (recordBytes(cut) <= limit) return cut;
  return { ...cut, value: Buffer.alloc(0), headers: { ...headers, 'weaver-dlq-value-dropped': `${dead.value.length} bytes: over the ${limit}-byte record limit` } };
}
