import { z } from '@weaver/config';
import { ValidationError } from '@weaver/errors';
import { ACTIONS, PRINCIPAL_TYPES, type AuditEvent } from '@weaver/governance';
import type { OutboundRecord, TopicNames } from '@weaver/messaging';
import { canonicalJson } from './canonical-json';

/** Header naming the record's schema, so a consumer can refuse what it does not know. */
export const AUDIT_EVENT_HEADER = 'weaver-audit-event';
export const AUDIT_EVENT_VERSION = '1';

/**
 * The records for `weaver.audit.v1`: keyed by tenant (one tenant's events stay in order on one
 * partition, which is the order the chainer appends them), the value the canonical JSON of the
 * event. A step hands these to the EOS layer with its outputs (`RecordHandler` returns
 * OutboundRecord[]), so its audit rides in the transaction it commits anyway: no extra round
 * trip, and an aborted step leaves no audit record behind (read-committed chainer).
 */
export function auditRecordsOf(events: readonly AuditEvent[], topics: TopicNames): OutboundRecord[] {
  return events.map((e) => ({ topic: topics.audit, key: e.tenantId.toLowerCase(), value: Buffer.from(canonicalJson(e), 'utf8'), headers: { [AUDIT_EVENT_HEADER]: AUDIT_EVENT_VERSION } }));
}

const text = (max: number) => z.string().min(1).max(max);
const auditEventSchema = z.object({
  id: text(300),
  tenantId: z.string().uuid(),
  at: z.string().datetime({ offset: true }),
  principal: z.object({ type: z.enum(PRINCIPAL_TYPES), id: text(300), tenantId: z.string().optional(), roles: z.array(text(100)).optional() }),
  action: z.enum(ACTIONS),
  resource: z.object({
    type: z.enum(['Run', 'Result', 'Model', 'Tool', 'Memory', 'Workflow', 'Tenant', 'ApiKey', 'Policy', 'AuditLog', 'DeadLetter']),
    id: text(500),
    classification: z.array(text(100)).optional(),
    workflow: text(300).optional(),
    owner: text(300).optional(),
  }),
  decision: z.enum(['allow', 'deny']),
  reasons: z.array(text(300)),
  source: text(300),
  correlationId: text(200).optional(),
  errorCode: text(100).optional(),
});

/** Checks an event at the recorder (and again at the chainer), naming the field that is wrong. */
export function validateAuditEvent(value: unknown): AuditEvent {
  const parsed = auditEventSchema.safeParse(value);
  if (!parsed.success) throw new ValidationError(parsed.error.issues.map((i) => ({ field: `auditEvent.${i.path.join('.')}`, rule: i.message })));
  return parsed.data as AuditEvent;
}

/** The event a `weaver.audit.v1` record carries. */
export function auditEventOfRecord(value: Buffer): AuditEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch {
    throw new ValidationError([{ field: 'auditEvent', rule: 'must be JSON' }]);
  }
  return validateAuditEvent(parsed);
}
