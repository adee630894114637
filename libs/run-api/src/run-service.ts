import { randomUUID } from 'node:crypto';
import { NotFoundError, ValidationError, type FieldViolation } from '@weaver/errors';
import { envelopeRecord, newEnvelope, Topics, type EventProducer } from '@weaver/messaging';
import type { RunStore } from '@weaver/runs';
import { runView, type RunView } from './run-view';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const WORKFLOW = /^[a-z][a-z0-9-]*$/;

export interface StartRun {
  workflow: unknown;
  input: unknown;
  runId?: unknown;
  classification?: unknown;
}

/**
 * Starting and reading runs for a tenant. A run is recorded (pending) and its trigger written
 * to `weaver.triggers.v1`; the agent-runner's dispatcher takes it from there. A client-chosen
 * run id makes submission idempotent.
 */
export class RunService {
  constructor(
    private readonly store: RunStore,
    private readonly producer: EventProducer,
  ) {}

  async start(tenantId: string, req: StartRun): Promise<{ run: RunView; created: boolean }> {
    const { workflow, input, runId, classification } = validateStart(req);
    const { created } = await this.store.createRun(tenantId, { runId, workflow, input, classification });
    if (created) {
      const trigger = newEnvelope({ tenantId, runId, workflow, type: 'run.requested', producer: 'gateway', payload: { input }, classification });
      await this.producer.send([envelopeRecord(trigger, Topics.triggers)]);
    }
    return { run: await this.get(tenantId, runId), created };
  }

  async get(tenantId: string, runId: string): Promise<RunView> {
    if (!UUID.test(runId)) throw new NotFoundError('run', runId);
    const run = await this.store.getRun(tenantId, runId);
    if (!run) throw new NotFoundError('run', runId); // another tenant's run is simply not there
    return runView(run);
  }

  async list(tenantId: string, limit: number): Promise<RunView[]> {
    return (await this.store.listRuns(tenantId, Math.min(Math.max(1, limit), 500))).map(runView);
  }

  async result(tenantId: string, runId: string): Promise<unknown> {
    const run = await this.get(tenantId, runId);
    if (run.status !== 'completed') throw new NotFoundError('result of run', `${runId} (status: ${run.status})`);
    return run.result;
  }
}

function validateStart(req: StartRun): { workflow: string; input: unknown; runId: string; classification: string[] } {
  const violations: FieldViolation[] = [];
  if (typeof req.workflow !== 'string' || !WORKFLOW.test(req.workflow)) violations.push({ field: 'workflow', rule: 'must be a workflow name (kebab-case, e.g. "content-pipeline")' });
  if (req.input === undefined) violations.push({ field: 'input', rule: 'is required (any JSON value)' });
  if (req.runId !== undefined && (typeof req.runId !== 'string' || !UUID.test(req.runId))) violations.push({ field: 'runId', rule: 'must be a UUID' });
  const labels = req.classification ?? [];
  if (!Array.isArray(labels) || !labels.every((l) => typeof l === 'string')) violations.push({ field: 'classification', rule: 'must be an array of strings' });
  if (violations.length) throw new ValidationError(violations, 'run request');
  return { workflow: req.workflow as string, input: req.input, runId: (req.runId as string | undefined) ?? randomUUID(), classification: labels as string[] };
}
