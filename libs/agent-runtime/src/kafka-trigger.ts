import { EnvelopeHeaders, envelopeRecord, newEnvelope, type InboundRecord, type OutboundRecord, type TopicNames } from '@weaver/messaging';
import { ValidationError } from '@weaver/errors';
import type { Workflow } from '@weaver/sdk';
import { kafkaRunId } from './run-ids';
import type { TenantGate } from './tenant-gate';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The consumer group that turns a workflow's Kafka trigger topic into runs (in the topic namespace). */
export const kafkaTriggerGroup = (names: TopicNames, workflow: string): string => names.group(`weaver.trigger.${workflow}`);

/**
 * `setTrigger('kafka:<topic>')`: each record on the topic becomes one run request on the
 * triggers topic, in the same transaction as the record's offset (so exactly once). The run id
 * is derived from the record's topic/partition/offset (and timestamp), so even a record handled
 * twice names the same run. The record's JSON value is the run's input; its tenant comes from
 * the `weaver-tenant` header or else the value's `tenantId` field. A record naming no tenant, or
 * not JSON, is refused with the field and rule, and goes to the group's dead-letter topic.
 * The tenant is not taken on trust: the record must be signed by a key the tenant registered
 * (`TenantGate.assertSigned`, header `weaver-signature`); unknown tenant, missing or invalid
 * signature and unknown key id each go to the dead-letter topic with that reason, never a run.
 */
export class KafkaTrigger {
  constructor(
    private readonly workflow: Workflow,
    private readonly names: TopicNames,
    private readonly tenants: TenantGate,
  ) {}

  handle = async (record: InboundRecord): Promise<OutboundRecord[]> => {
    const input = jsonOf(record);
    const tenantId = tenantOf(record, input);
    await this.tenants.assertSigned(record, tenantId, `kafka trigger record ${record.topic}/${record.partition}@${record.offset}`);
    const runId = kafkaRunId(record);
    const trigger = newEnvelope({
      id: `kafka:${record.topic}:${record.partition}:${record.offset}`,
      tenantId,
      runId,
      workflow: this.workflow.name,
      type: 'run.requested',
      producer: `trigger.kafka.${record.topic}`,
      payload: { input },
    });
    return [envelopeRecord(trigger, this.names.triggers)];
  };
}

function jsonOf(record: InboundRecord): unknown {
  const text = record.value.toString('utf8');
  try {
    if (text.trim() === '') throw new Error('empty');
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ValidationError([{ field: 'record.value', rule: 'must be a JSON document (the run input)' }], `kafka trigger record ${record.topic}/${record.partition}@${record.offset}`, { cause: error });
  }
}

function tenantOf(record: InboundRecord, input: unknown): string {
  const header = record.headers[EnvelopeHeaders.tenant];
  const field = input !== null && typeof input === 'object' ? (input as Record<string, unknown>)['tenantId'] : undefined;
  const where = `kafka trigger record ${record.topic}/${record.partition}@${record.offset}`;
  if (header !== undefined) {
    if (!UUID.test(header)) throw new ValidationError([{ field: `headers.${EnvelopeHeaders.tenant}`, rule: 'must be a tenant id (UUID)' }], where);
    return header.toLowerCase();
  }
  if (field !== undefined) {
    if (typeof field !== 'string' || !UUID.test(field)) throw new ValidationError([{ field: 'value.tenantId', rule: 'must be a tenant id (UUID)' }], where);
    return field.toLowerCase();
  }
  throw new ValidationError([{ field: 'tenant', rule: `name the tenant in the "${EnvelopeHeaders.tenant}" header or a "tenantId" field of the JSON value` }], where);
}
