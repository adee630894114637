import type { Envelope, InboundRecord, OutboundRecord, TopicNames } from '@weaver/messaging';
import type { RunLedger } from './ports';
import { progressRecord } from './run-progress';

/**
 * A cancel record (RUN_CANCEL_REQUESTED on the triggers topic, written by the gateway after it
 * moved the run to `cancelled`): emits `run.cancelled` in this record's transaction, exactly once
 * per run. The run remembers which record's position claimed the event (write-once), so a
 * redelivery of that record (its transaction was redone) emits it again — only one of those
 * transactions commits — and any other cancel record of the run emits nothing.
 */
export async function cancelOutputs(ledger: RunLedger, names: TopicNames, record: InboundRecord, env: Pick<Envelope, 'tenantId' | 'runId' | 'workflow' | 'subjectId'>): Promise<OutboundRecord[]> {
  const position = `${record.topic}/${record.partition}@${record.offset}`;
  if (!ledger.claimCancelEvent || !(await ledger.claimCancelEvent(env.tenantId, env.runId, position))) return [];
  const scope = { tenantId: env.tenantId, runId: env.runId, workflow: env.workflow, producer: 'dispatcher', causationId: `cancel:${env.tenantId}:${env.runId}`, subjectId: env.subjectId };
  return [progressRecord(names, scope, { kind: 'run.cancelled' })];
}
