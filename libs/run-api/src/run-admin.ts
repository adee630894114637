import { ConflictError, NotFoundError, UnavailableError } from '@weaver/errors';
import { envelopeRecord, newEnvelope, type OutboundRecord, type TopicNames } from '@weaver/messaging';
import { RUN_CANCEL_REQUESTED, type RunControl, type RunPageFilter, type RunRecord, type RunStore } from '@weaver/runs';
import type { DeadLetterAdmin } from './dead-letter-admin';
import type { RunAccessCheck } from './run-service';
import { runView, type RunView } from './run-view';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface RunAdminDeps {
  store: RunStore;
  control: RunControl;
  letters: DeadLetterAdmin;
  /** The tenant's topic and group names (isolated tenants have their own). */
  namesFor: (tenantId: string) => Promise<TopicNames>;
  /** Sends a record and resolves once the broker acknowledged it (acks=all). */
  send: (record: OutboundRecord) => Promise<void>;
}

/**
 * Listing, cancelling and retrying runs (issue 12 item 2). Cancel and retry are exactly-once:
 * - cancel moves the run to `cancelled` in PostgreSQL (RUN_TRANSITIONS; only one caller moves
 *   it), from then on agents acknowledge its steps without emitting (RunStore.recordStep), and a
 *   cancel record on the run's triggers topic makes the dispatcher emit `run.cancelled` in that
 *   record's transaction — once per run, however often cancel is called (RunControl.claimCancelEvent).
 *   Calling cancel again re-sends the record, so a lost send is repaired by the client's retry.
 * - retry re-drives the failed step's dead letter (its input event, as it was) through the same
 *   once-per-letter claim as the dead-letter API; the claim moves the run failed -> running.
 */
export class RunAdmin {
  constructor(private readonly deps: RunAdminDeps) {}

  async list(filter: RunPageFilter): Promise<{ runs: RunView[]; nextCursor?: string }> {
    const page = await this.deps.store.listRunsPage(filter);
    return { runs: page.runs.map(runView), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }

  async cancel(tenantId: string, runId: string, actor: string, access?: RunAccessCheck): Promise<RunView> {
    const run = await this.record(tenantId, runId, access);
    if (run.status !== 'cancelled') {
      const { moved, status } = await this.deps.control.cancel(tenantId, runId, `cancelled by ${actor}`);
      if (!moved && status !== 'cancelled') throw notIn(runId, status ?? run.status, 'only a pending or running run can be cancelled');
    }
    const names = await this.deps.namesFor(tenantId);
    const cancel = newEnvelope({
      id: `cancel:${tenantId}:${runId}`,
      tenantId,
      runId,
      workflow: run.workflow,
      type: RUN_CANCEL_REQUESTED,
      producer: 'gateway',
      payload: { by: actor },
      subjectId: run.subjectId ?? undefined,
    });
    try {
      await this.deps.send(envelopeRecord(cancel, names.triggers));
    } catch (error) {
      const advice = 'the run is cancelled (no further steps are emitted); call cancel again to write its run.cancelled event';
      throw new UnavailableError(`run ${runId}: the cancel record was not written to Kafka (${String(error)}); ${advice}`, { details: { runId }, publicMessage: `run ${runId}: the cancel record was not written to Kafka; ${advice}` });
    }
    return runView(await this.record(tenantId, runId));
  }

  async retry(tenantId: string, runId: string, actor: string, access?: RunAccessCheck): Promise<RunView> {
    const run = await this.record(tenantId, runId, access);
    if (run.status !== 'failed') throw notIn(runId, run.status, 'only a failed run can be retried');
    const step = run.failedStep ?? '';
    const names = await this.deps.namesFor(tenantId);
    // The agent-runner's group names (agent-host.ts: dispatcherGroup / agentGroup).
    const group = step === 'trigger' ? names.group('weaver.dispatcher') : names.group(`weaver.agent.${step}`);
    const letter = await this.deps.letters.latestOfRun(group, tenantId, runId);
    const redriven = letter ? await this.deps.letters.redrive([letter], actor) : 0;
    if (!redriven) {
      throw new ConflictError(`run ${runId} failed at step "${step}" but has no dead letter left to re-drive (the step declined its event, or its letter was replayed or discarded)`, { state: run.status, step });
    }
    return runView(await this.record(tenantId, runId));
  }

  private async record(tenantId: string, runId: string, access?: RunAccessCheck): Promise<RunRecord> {
    if (!UUID.test(runId)) throw new NotFoundError('run', runId);
    const run = await this.deps.store.getRun(tenantId, runId);
    if (!run) throw new NotFoundError('run', runId);
    await access?.(run);
    return run;
  }
}

function notIn(runId: string, state: string, rule: string): ConflictError {
  return new ConflictError(`run ${runId} is ${state}: ${rule}`, { runId, state });
}
