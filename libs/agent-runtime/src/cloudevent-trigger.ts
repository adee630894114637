import type { z } from 'zod';
import { ValidationError, type FieldViolation } from '@weaver/errors';
import type { InboundRecord } from '@weaver/messaging';
import { cloudEventTrigger, TENANT_ATTRIBUTE, type CloudEventTrigger } from './cloudevent-trigger.schema';
import { runIdFromName } from './run-ids';

const DATA_FIELDS = Object.keys(cloudEventTrigger.shape.data.shape).join(', ');

/** Zod's issues as field + rule; an unknown `data` field is named itself, with the fields there are. */
function violationsOf(issues: z.core.$ZodIssue[]): FieldViolation[] {
  return issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ field: [...issue.path, key].join('.'), rule: `is not a field of a run request (${DATA_FIELDS})` }))
      : [{ field: issue.path.length ? issue.path.join('.') : '(root)', rule: issue.message }],
  );
}

/**
 * A structured-mode CloudEvent from a trigger record's value, checked against the schema; a
 * record that is not one fails with every field and rule it breaks (they reach the dead
 * letter's `weaver-dlq-error-message`), e.g. `data.workflow: required`.
 */
export function parseCloudEventTrigger(record: Pick<InboundRecord, 'value' | 'topic' | 'partition' | 'offset'>): CloudEventTrigger {
  const where = `CloudEvent trigger ${record.topic}/${record.partition}@${record.offset}`;
  let json: unknown;
  try {
    json = JSON.parse(record.value.toString('utf8')) as unknown;
  } catch (error) {
    throw new ValidationError([{ field: 'record.value', rule: 'must be a JSON document (a CloudEvent in structured mode)' }], where, { cause: error });
  }
  const parsed = cloudEventTrigger.safeParse(json);
  if (!parsed.success) throw new ValidationError(violationsOf(parsed.error.issues), where);
  return parsed.data;
}

/** The tenant a CloudEvent claims (lowercase), before its signature is checked. */
export const tenantClaimOf = (event: CloudEventTrigger): string => event[TENANT_ATTRIBUTE].toLowerCase();

/**
 * The run of a CloudEvent without a `data.runId`: (source, id) identifies an event
 * (CloudEvents 1.0), so a producer re-sending it after a timeout lands on the same run.
 */
export const cloudEventRunId = (tenantId: string, event: Pick<CloudEventTrigger, 'source' | 'id'>): string => runIdFromName(`cloudevent/${tenantId}/${event.source}/${event.id}`);
