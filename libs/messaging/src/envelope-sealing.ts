import { events } from '@weaver/contracts';
import { looksSealed, PLAINTEXT, type PayloadCipher } from '@weaver/crypto';
import { decodeEnvelope, EnvelopeHeaders, type Envelope } from './envelope-codec';
import type { HandlerContext, InboundRecord, OutboundRecord, RecordHandler } from './records';
import { recordFormat } from './record-format';

/** content_type of a sealed payload; the JSON inside is what content_type said before. */
export const SEALED_CONTENT_TYPE = 'application/vnd.weaver.sealed+json';

/**
 * The AAD purpose of an envelope payload: bound to the event type too, so a sealed payload
 * cannot be replayed as the body of another kind of event (nor of another tenant: the key).
 */
export const payloadPurpose = (type: string): string => `kafka.payload/${type}`;

const isEnvelopeRecord = (r: { headers?: Record<string, string> }): boolean => Boolean(r.headers?.[EnvelopeHeaders.tenant] && r.headers[EnvelopeHeaders.type]);
const encode = (env: Envelope): Buffer => Buffer.from(events.Envelope.encode(env).finish());

/**
 * Kafka payload encryption at the edge of the event layer: records are sealed as they leave a
 * handler or a producer and opened as they reach a handler, so agents, the dispatcher and the
 * gateway keep reading plain envelopes. Only the payload is sealed, under the envelope's
 * tenant key; the envelope's other fields and the record headers stay plaintext routing
 * metadata (ids, type, tenant, run, producer, times). The transport's dead letters copy the
 * consumed record's bytes, so the DLQ holds the payload sealed, as it arrived.
 */
export class EnvelopeSealer {
  constructor(readonly cipher: PayloadCipher = PLAINTEXT) {}

  async sealRecord(record: OutboundRecord): Promise<OutboundRecord> {
    if (!this.cipher.enabled || !isEnvelopeRecord(record)) return record;
    const env = decodeEnvelope(record);
    if (!env.payload || env.contentType === SEALED_CONTENT_TYPE) return record;
    // Under the run's subject key when it names one, so erasing the subject shreds its events too.
    const scope = env.subjectId ? { tenantId: env.tenantId, subject: env.subjectId } : { tenantId: env.tenantId };
    const sealed = await this.cipher.seal(scope, payloadPurpose(env.type), Buffer.from(env.payload));
    return { ...record, value: encode({ ...env, payload: sealed, contentType: SEALED_CONTENT_TYPE }) };
  }

  sealRecords(records: OutboundRecord[]): Promise<OutboundRecord[]> {
    return Promise.all(records.map((r) => this.sealRecord(r)));
  }

  /**
   * The record with its envelope's payload opened. A plain payload passes (records written
   * before encryption was switched on; a kafka: trigger's raw record and a
   * CloudEvent trigger are no envelope at all).
   */
  async openRecord(record: InboundRecord): Promise<InboundRecord> {
    // A CloudEvent on the triggers topic is a producer's plaintext JSON, even with Weaver's headers.
    if (!isEnvelopeRecord(record) || recordFormat(record) !== 'protobuf') return record;
    const env = decodeEnvelope(record);
    if (env.contentType !== SEALED_CONTENT_TYPE || !env.payload || !looksSealed(env.payload)) return record;
    const plain = await this.cipher.open(env.tenantId, payloadPurpose(env.type), Buffer.from(env.payload));
    return { ...record, value: encode({ ...env, payload: plain, contentType: 'application/json' }) };
  }

  /** A handler that sees opened records and whose outputs are sealed. */
  handler(inner: RecordHandler): RecordHandler {
    return async (record: InboundRecord, ctx: HandlerContext) => this.sealRecords(await inner(await this.openRecord(record), ctx));
  }

  /** The same for an EosProcessor's onDeadLetter (it gets the record as consumed). */
  deadLetterHandler(inner: (record: InboundRecord, error: unknown) => Promise<OutboundRecord[]>): (record: InboundRecord, error: unknown) => Promise<OutboundRecord[]> {
    return async (record, error) => this.sealRecords(await inner(await this.openRecord(record), error));
  }
}
