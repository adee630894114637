import { randomUUID } from 'node:crypto';
import { events } from '@weaver/contracts';
import { ValidationError } from '@weaver/errors';
import type { InboundRecord, OutboundRecord } from './records';

export type Envelope = events.Envelope;

/** Header names mirrored from the envelope so tools can filter without decoding protobuf. */
export const EnvelopeHeaders = { type: 'weaver-type', tenant: 'weaver-tenant', run: 'weaver-run' } as const;

export interface NewEnvelope {
  tenantId: string;
  runId: string;
  workflow: string;
  type: string;
  producer: string;
  payload: unknown;
  step?: string;
  causationId?: string;
  correlationId?: string;
  classification?: string[];
  /** The data subject the run is about (erasure/export find its runs by it); none: empty. */
  subjectId?: string;
  attempt?: number;
  traceContext?: Record<string, string>;
  /** Deterministic id for events derived from an input, so a redelivered step re-emits the same id. */
  id?: string;
}

export function newEnvelope(e: NewEnvelope): Envelope {
  const id = e.id ?? randomUUID();
  return {
    id,
    tenantId: e.tenantId,
    runId: e.runId,
    workflow: e.workflow,
    type: e.type,
    causationId: e.causationId ?? '',
    correlationId: e.correlationId ?? id,
    producer: e.producer,
    classification: e.classification ?? [],
    payload: Buffer.from(JSON.stringify(e.payload ?? null), 'utf8'),
    resultRef: undefined,
    contentType: 'application/json',
    attempt: e.attempt ?? 1,
    traceContext: e.traceContext ?? {},
    timeUnixMs: Date.now(),
    step: e.step ?? '',
    subjectId: e.subjectId ?? '',
  };
}

/** The record for an envelope on `topic` (e.g. `names.event(env.type)`), keyed by run id. */
export function envelopeRecord(env: Envelope, topic: string): OutboundRecord {
  return {
    topic,
    key: env.runId,
    value: Buffer.from(events.Envelope.encode(env).finish()),
    headers: { [EnvelopeHeaders.type]: env.type, [EnvelopeHeaders.tenant]: env.tenantId, [EnvelopeHeaders.run]: env.runId },
  };
}

/** Decodes and checks the fields every consumer relies on; bad records fail with the field named. */
export function decodeEnvelope(record: Pick<InboundRecord, 'value'>): Envelope {
  let env: Envelope;
  try {
    env = events.Envelope.decode(record.value);
  } catch (error) {
    throw new ValidationError([{ field: 'record.value', rule: 'must be a protobuf weaver.events.v1.Envelope' }], 'event', { cause: error });
  }
  const missing = (['id', 'tenantId', 'runId', 'type'] as const).filter((f) => !env[f]);
  if (missing.length) throw new ValidationError(missing.map((field) => ({ field: `envelope.${field}`, rule: 'is required' })), 'event');
  return env;
}

/** The inline JSON payload (undefined for a result reference). */
export function payloadOf(env: Envelope): unknown {
  if (!env.payload) return undefined;
  const text = Buffer.from(env.payload).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ValidationError([{ field: 'envelope.payload', rule: 'must be UTF-8 JSON' }], 'event', { cause: error });
  }
}
