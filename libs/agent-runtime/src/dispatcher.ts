import { deadLetterRef, decodeEnvelope, envelopeRecord, newEnvelope, recordFormat, type InboundRecord, type OutboundRecord, type TopicNames } from '@weaver/messaging';
import { PermissionDeniedError, publicErrorText } from '@weaver/errors';
import { canonicalClassification } from '@weaver/governance';
import type { RunLedger } from './ports';
import type { TenantGate } from './tenant-gate';
import { progressRecord } from './run-progress';
import { cancelOutputs } from './run-cancel';
import { RUN_CANCEL_REQUESTED } from '@weaver/runs';
import { labelStepSpan } from './step-span';
import type { WorkflowCatalogue } from './workflow-catalogue';
import type { RuntimeMetrics } from './runtime-metrics';
import { decodeTrigger, type DecodedTrigger } from './trigger-decoding';

/** The payload of a protobuf trigger on `weaver.triggers.v1` (a CloudEvent's `data` is `runRequestData`). */
export interface RunRequest {
  input: unknown;
}

/**
 * Turns run requests into a workflow's entry event: records the run (idempotently, so a trigger
 * written straight to Kafka gets a run row too) and emits the entry event and "run started"
 * in the same transaction as the trigger's offset. The entry event's id derives from the
 * trigger's, so a trigger written twice (a scheduler retrying a tick) re-emits the same event.
 *
 * Two formats share the topic (`decodeTrigger`, docs/triggers.md): Weaver's protobuf envelope,
 * which only the gateway (which authenticated an API key) and the runner itself (schedules,
 * signed `kafka:` records) may write on a secured cluster (Kafka ACLs), so its principal vouches
 * for it; and a CloudEvent in structured JSON mode, which any producer may write but which must
 * be signed with a key of its tenant. Either way the tenant must exist (`TenantGate`, cached),
 * otherwise the record goes to the dead-letter topic with the reason and no run is created;
 * both formats go through the same transaction, so a CloudEvent starts its run exactly once.
 */
export class TriggerDispatcher {
  constructor(
    private readonly catalogue: WorkflowCatalogue,
    private readonly ledger: RunLedger,
    private readonly names: TopicNames,
    private readonly tenants: TenantGate,
    /** The one tenant an isolated-tier deployment serves; unset on the shared tier. */
    private readonly onlyTenant?: string,
    private readonly metrics?: RuntimeMetrics,
  ) {}

  handle = async (record: InboundRecord): Promise<OutboundRecord[]> => {
    const trigger = await decodeTrigger(record, this.tenants);
    labelStepSpan('dispatch run', trigger);
    if (this.onlyTenant !== undefined && trigger.tenantId !== this.onlyTenant) {
      // The gateway never routes another tenant here: this is a misrouted or forged trigger.
      throw new PermissionDeniedError(`this deployment serves only tenant ${this.onlyTenant}; a trigger of tenant ${trigger.tenantId} was refused`);
    }
    if (trigger.type === RUN_CANCEL_REQUESTED) return cancelOutputs(this.ledger, this.names, record, trigger);
    const workflow = this.catalogue.get(trigger.workflow);
    // Any producer may write a trigger: its labels are checked here like the gateway checks a
    // request's (a bad one dead-letters naming the field), and canonical from here on.
    const classification = canonicalClassification(trigger.classification, 'classification', 'trigger');
    const { created } = await this.ledger.createRun(trigger.tenantId, {
      runId: trigger.runId,
      workflow: workflow.name,
      input: trigger.input,
      classification,
      subjectId: trigger.subjectId || null,
      status: 'running',
    });
    // Counted when the row moved (new, or pending -> running): a redelivered trigger counts once.
    const started = created || (await this.ledger.markRunning(trigger.tenantId, trigger.runId));
    if (started) this.metrics?.runStarted(workflow.name);
    // A run cancelled before its trigger arrived never starts (read only when nothing moved).
    else if ((await this.ledger.statusOf?.(trigger.tenantId, trigger.runId)) === 'cancelled') return [];
    const entry = newEnvelope({
      id: `${trigger.id}:entry`,
      tenantId: trigger.tenantId,
      runId: trigger.runId,
      workflow: workflow.name,
      type: workflow.entryEventType,
      producer: 'dispatcher',
      step: 'trigger',
      payload: trigger.input,
      causationId: trigger.id,
      correlationId: trigger.correlationId,
      classification,
      subjectId: trigger.subjectId,
    });
    const scope = { tenantId: trigger.tenantId, runId: trigger.runId, workflow: workflow.name, producer: 'dispatcher', causationId: trigger.id, subjectId: trigger.subjectId };
    return [envelopeRecord(entry, this.names.event(entry.type)), progressRecord(this.names, scope, { kind: 'run.started' })];
  };

  /** A trigger that cannot start a run marks the run failed (when it names a tenant and run). */
  onDeadLetter = async (record: InboundRecord, error: unknown): Promise<OutboundRecord[]> => {
    // A refused trigger (unknown tenant — TriggerRefusedError —, or not this deployment's tenant)
    // starts nothing: no run row, no progress; the dead letter is the record.
    if (error instanceof PermissionDeniedError) return [];
    const trigger = await this.verifiedOrNone(record);
    if (trigger === undefined) return [];
    if (trigger.type === RUN_CANCEL_REQUESTED) return []; // the run is cancelled already; its letter says why no event came
    const message = publicErrorText(error, deadLetterRef(record)); // as StepExecutor.onDeadLetter
    await this.ledger.createRun(trigger.tenantId, { runId: trigger.runId, workflow: trigger.workflow || 'unknown', input: null, status: 'pending' });
    if (await this.ledger.failRun(trigger.tenantId, trigger.runId, message, 'trigger')) this.metrics?.runFailed(trigger.workflow || 'unknown');
    const scope = { tenantId: trigger.tenantId, runId: trigger.runId, workflow: trigger.workflow, producer: 'dispatcher', causationId: trigger.id, subjectId: trigger.subjectId };
    return [progressRecord(this.names, scope, { kind: 'run.failed', step: 'trigger', error: message })];
  };

  /**
   * The trigger a dead letter is about: a protobuf envelope as it decodes (its principal vouched
   * for it); a CloudEvent only when it parses and its signature holds, else none (a record that
   * names no verified tenant starts nothing — no run row —, and its dead letter says why).
   */
  private async verifiedOrNone(record: InboundRecord): Promise<Pick<DecodedTrigger, 'tenantId' | 'runId' | 'workflow' | 'id' | 'subjectId' | 'type'> | undefined> {
    if (recordFormat(record) === 'protobuf') return decodeEnvelope(record);
    try {
      return await decodeTrigger(record, this.tenants);
    } catch {
      return undefined;
    }
  }
}
