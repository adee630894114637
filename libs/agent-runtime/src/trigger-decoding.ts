import { ValidationError } from '@weaver/errors';
import { decodeEnvelope, payloadOf, recordFormat, type InboundRecord } from '@weaver/messaging';
import { RUN_CANCEL_REQUESTED } from '@weaver/runs';
import { cloudEventRunId, parseCloudEventTrigger, tenantClaimOf } from './cloudevent-trigger';
import type { TenantGate } from './tenant-gate';

/** A run request as the dispatcher uses it, whichever way it was written. */
export interface DecodedTrigger {
  /** The trigger's id: the entry event's id derives from it, so a trigger handled twice emits one event. */
  id: string;
  tenantId: string;
  runId: string;
  workflow: string;
  input: unknown;
  /** As written; the dispatcher checks and canonicalises it. */
  classification: string[];
  subjectId: string;
  correlationId: string;
  /** The protobuf envelope's `type`; a CloudEvent's is fixed (`dev.weaver.run.requested`). */
  type: string;
}

/**
 * Decodes a record of the triggers topic and verifies its tenant, by its format
 * (`recordFormat`): a protobuf envelope is trusted by the Kafka principal that wrote it (only
 * the gateway and the runner may, on a secured cluster) and its tenant must exist; a CloudEvent
 * can come from any producer, so it must be signed with a key its tenant registered (the
 * `weaver-signature` JWS over the value, bound to this topic — as a `kafka:` trigger record).
 */
export async function decodeTrigger(record: InboundRecord, tenants: TenantGate): Promise<DecodedTrigger> {
  const format = recordFormat(record);
  if (format === 'cloudevents-binary') {
    throw new ValidationError([{ field: 'headers.ce_specversion', rule: 'binary content mode is not accepted: write the CloudEvent in structured mode (content-type application/cloudevents+json)' }], 'trigger');
  }
  if (format === 'cloudevents-json') {
    const event = parseCloudEventTrigger(record);
    const tenantId = tenantClaimOf(event);
    const where = `CloudEvent trigger ${event.source}#${event.id}`;
    await tenants.assertSigned(record, tenantId, where);
    const id = `ce:${tenantId}:${event.source}:${event.id}`;
    return {
      id,
      tenantId,
      runId: event.data.runId?.toLowerCase() ?? cloudEventRunId(tenantId, event),
      workflow: event.data.workflow,
      input: event.data.input,
      classification: event.data.classification ?? [],
      subjectId: event.data.subjectId ?? '',
      correlationId: id,
      type: event.type,
    };
  }
  const env = decodeEnvelope(record);
  await tenants.assertTenant(env.tenantId, `trigger ${env.id}`);
  // A cancel (RUN_CANCEL_REQUESTED, written by the gateway) carries no input: the dispatcher emits run.cancelled for it.
  const body = env.type === RUN_CANCEL_REQUESTED ? { input: undefined } : payloadOf(env);
  if (body === null || typeof body !== 'object' || !('input' in body)) {
    throw new ValidationError([{ field: 'payload.input', rule: 'a trigger carries {"input": ...}' }], 'trigger');
  }
  return {
    id: env.id,
    tenantId: env.tenantId,
    runId: env.runId,
    workflow: env.workflow,
    input: (body as { input: unknown }).input,
    classification: env.classification,
    subjectId: env.subjectId,
    correlationId: env.correlationId || env.id,
    type: env.type,
  };
}
