import { randomUUID } from 'node:crypto';
import { NotFoundError, PermissionDeniedError, UnavailableError, ValidationError, type FieldViolation } from '@weaver/errors';
import { canonicalClassification, classificationViolations } from '@weaver/governance';
import { inSpan, WeaverAttr } from '@weaver/observability';
import { onResubmission, type OutboxEntry, type RunRecord, type RunStore, type TriggerOutbox } from '@weaver/runs';
import { runView, type RunView } from './run-view';
import { quotaExceeded } from './intake-limits';
import type { TriggerSender } from './trigger-sender';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The SDK's rule for workflow names (`new Workflow(name)`): kebab-case or snake_case. */
const WORKFLOW = /^[a-z][a-z0-9_-]*$/;

export interface StartRun {
  workflow: unknown;
  input: unknown;
  runId?: unknown;
  classification?: unknown;
  /** The data subject the run is about (see `SUBJECT`). */
  subjectId?: unknown;
}

/**
 * An access decision that needs the run's own attributes (its classification and workflow): the
 * gateway's policy check for reads, called with the run once it is read; throws to refuse.
 */
export type RunAccessCheck = (run: Pick<RunRecord, 'tenantId' | 'runId' | 'workflow' | 'classification'>) => Promise<unknown>;

/** A data subject id: the tenant's own opaque id for a person (no spaces, so it is never free text). */
const SUBJECT = /^[A-Za-z0-9._:@-]{1,200}$/;

/**
 * Starting and reading runs for a tenant. A run is recorded (pending) together with its unsent
 * trigger in the outbox, in one statement; the trigger is then written to `weaver.triggers.v1`
 * and the agent-runner's dispatcher takes it from there. A client-chosen run id makes
 * submission idempotent, and a resubmission of a run whose trigger is not yet known to be on
 * Kafka repeats the send. When a send fails the client hears UNAVAILABLE (retriable), never
 * success; the run stays recorded and `TriggerRelay` re-sends it if the client does not.
 */
export class RunService {
  constructor(
    private readonly store: RunStore,
    private readonly outbox: TriggerOutbox,
    private readonly sender: TriggerSender,
  ) {}

  /** `limits.maxActiveRuns`: the tenant's concurrent-runs quota, checked when the run is recorded. */
  async start(tenantId: string, req: StartRun, limits: { maxActiveRuns?: number } = {}): Promise<{ run: RunView; created: boolean }> {
    const start = validateStart(req);
    // The intake span: the root of the run's trace below the REST/gRPC server span; the trigger
    // written inside it carries it (record headers), so every step of the run is in this trace.
    const attributes = { [WeaverAttr.tenant]: tenantId, [WeaverAttr.run]: start.runId, [WeaverAttr.workflow]: start.workflow };
    return inSpan('run.start', { attributes }, async (span) => {
      const started = await this.startValid(tenantId, start, limits);
      span.setAttribute('weaver.run.created', started.created);
      return started;
    });
  }

  private async startValid(tenantId: string, start: ReturnType<typeof validateStart>, limits: { maxActiveRuns?: number }): Promise<{ run: RunView; created: boolean }> {
    const { workflow, input, runId, classification, subjectId } = start;
    const recorded = await this.outbox.recordRun(tenantId, { runId, workflow, input, classification, subjectId, maxActiveRuns: limits.maxActiveRuns });
    if ('refused' in recorded) {
      // Runs end in seconds to minutes; a second is a fair first wait.
      throw quotaExceeded('concurrent_runs', recorded.limit, 1_000, `${recorded.active} runs are pending or running`);
    }
    const { created } = recorded;
    if (created) {
      const outcome = await this.sender.send([{ claim: { tenantId, runId, attempts: 1 }, trigger: { tenantId, runId, workflow, input, classification, subjectId } }]);
      if (!outcome.sent) throw notSent(runId, outcome.cause);
      // The run as just recorded, not read back: a read is five more round trips per intake, and
      // what it could add (the dispatcher's "running") is the next thing the client follows anyway.
      const now = new Date();
      const recorded = { tenantId, runId, workflow, status: 'pending' as const, input, result: null, resultUri: null, error: null, failedStep: null, classification: classification ?? [], subjectId, createdAt: now, updatedAt: now, steps: [] };
      return { run: runView(recorded), created };
    }
    const run = await this.record(tenantId, runId);
    await this.repeatSend(run);
    return { run: runView(run), created };
  }

  async get(tenantId: string, runId: string, access?: RunAccessCheck): Promise<RunView> {
    return runView(await this.record(tenantId, runId, access));
  }

  async list(tenantId: string, limit: number): Promise<RunView[]> {
    return (await this.store.listRuns(tenantId, Math.min(Math.max(1, limit), 500))).map(runView);
  }

  /**
   * The run's result. `grantedUri` (a verified capability token's result) must be the result
   * the run recorded: a token for another step of the run, or a run that never published that
   * result, is refused.
   */
  async result(tenantId: string, runId: string, grantedUri?: string, access?: RunAccessCheck): Promise<unknown> {
    const run = await this.record(tenantId, runId, access);
    if (grantedUri !== undefined && run.resultUri !== grantedUri) throw new PermissionDeniedError('capability token does not grant this result');
    if (run.status !== 'completed') throw new NotFoundError('result of run', `${runId} (status: ${run.status})`);
    return run.result;
  }

  private async record(tenantId: string, runId: string, access?: RunAccessCheck): Promise<RunRecord> {
    if (!UUID.test(runId)) throw new NotFoundError('run', runId);
    const run = await this.store.getRun(tenantId, runId);
    if (!run) throw new NotFoundError('run', runId); // another tenant's run is simply not there
    await access?.(run);
    return run;
  }

  /** A resubmission repeats the trigger's send while it is not known to be on Kafka (`onResubmission`). */
  private async repeatSend(run: RunRecord): Promise<void> {
    const entry = await this.outbox.entry(run.tenantId, run.runId);
    const decision = onResubmission(run.status, entry);
    if (decision.action === 'none') return;
    if (decision.action === 'drop') return this.outbox.settle([decision.entry], 'run-left-pending');
    const claim = decision.action === 'send' ? await this.outbox.claim(decision.entry) : undefined;
    if (!claim) throw busy(run.runId, decision.entry);
    const outcome = await this.sender.send([{ claim, trigger: { tenantId: run.tenantId, runId: run.runId, workflow: run.workflow, input: run.input, classification: run.classification, subjectId: run.subjectId } }]);
    if (!outcome.sent) throw notSent(run.runId, outcome.cause);
  }
}

function notSent(runId: string, cause: string): UnavailableError {
  const advice = 'Retry with the same runId; the gateway also re-sends it by itself';
  return new UnavailableError(`run ${runId} is recorded (pending) but its trigger was not written to Kafka: ${cause}. ${advice}`, {
    details: { runId, cause },
    // The broker's words stay in the log; the client learns what happened and what to do.
    publicMessage: `run ${runId} is recorded (pending) but its trigger was not written to Kafka. ${advice}`,
  });
}

function busy(runId: string, entry: OutboxEntry): UnavailableError {
  const last = entry.lastError ? ` (last failure: ${entry.lastError})` : '';
  return new UnavailableError(`run ${runId} is recorded (pending) and its trigger is being sent by another request${last}. Retry with the same runId shortly`, {
    details: { runId, attempts: entry.attempts },
    publicMessage: `run ${runId} is recorded (pending) and its trigger is being sent by another request. Retry with the same runId shortly`,
  });
}

function validateStart(req: StartRun): { workflow: string; input: unknown; runId: string; classification: string[]; subjectId: string | null } {
  const violations: FieldViolation[] = [];
  if (typeof req.workflow !== 'string' || !WORKFLOW.test(req.workflow)) violations.push({ field: 'workflow', rule: 'must be a workflow name (lowercase words joined by - or _, e.g. "content-pipeline")' });
  if (req.input === undefined) violations.push({ field: 'input', rule: 'is required (any JSON value)' });
  if (req.runId !== undefined && (typeof req.runId !== 'string' || !UUID.test(req.runId))) violations.push({ field: 'runId', rule: 'must be a UUID' });
  const labelViolations = classificationViolations(req.classification);
  violations.push(...labelViolations);
  const subject = req.subjectId === '' ? undefined : req.subjectId;
  if (subject !== undefined && subject !== null && (typeof subject !== 'string' || !SUBJECT.test(subject))) violations.push({ field: 'subjectId', rule: 'must be 1-200 characters of A-Z a-z 0-9 . _ : @ -' });
  if (violations.length) throw new ValidationError(violations, 'run request');
  return { workflow: req.workflow as string, input: req.input, runId: (req.runId as string | undefined) ?? randomUUID(), classification: canonicalClassification(req.classification), subjectId: (subject as string | undefined) ?? null };
}
