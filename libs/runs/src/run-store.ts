import type { DataSource, EntityManager } from 'typeorm';
import { withTenant } from '@weaver/persistence';
import { arriveAtJoin, readJoin } from './join-store';
import type { JoinPart, JoinState } from './join-state';
import { RUN_TRANSITIONS, type RunRecord, type RunStatus, type StepRecord, type StepStatus } from './run.types';

interface RunRow {
  tenant_id: string;
  run_id: string;
  workflow: string;
  status: RunStatus;
  input: unknown;
  result: unknown;
  result_uri: string | null;
  error: string | null;
  failed_step: string | null;
  classification: string[];
  created_at: Date;
  updated_at: Date;
}
interface StepRow {
  step: string;
  agent: string;
  status: StepStatus;
  attempt: number;
  output: unknown;
  error: string | null;
  started_at: Date;
  finished_at: Date;
}

export interface NewStep {
  step: string;
  agent: string;
  status: StepStatus;
  attempt: number;
  inputEventId: string;
  output: unknown;
  error?: string;
  startedAt: Date;
  finishedAt: Date;
}

/**
 * Runs and steps in PostgreSQL, every query under the run's tenant (row-level security).
 * Steps are write-once: `recordStep` keeps the first result for (tenant, run, step) and hands
 * it back to a redelivered event, so a crash between the database and the Kafka commit leaves
 * exactly one result, and the re-emitted event carries the same content.
 */
export class RunStore {
  constructor(private readonly ds: DataSource) {}

  /** Creates the run if new; `created` is false for an idempotent resubmission. */
  async createRun(tenantId: string, run: { runId: string; workflow: string; input: unknown; classification?: string[]; status?: RunStatus }): Promise<{ created: boolean }> {
    return withTenant(this.ds, tenantId, async (em) => {
      const rows: unknown[] = await em.query(
        `INSERT INTO runs.runs (tenant_id, run_id, workflow, status, input, classification)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tenant_id, run_id) DO NOTHING RETURNING run_id`,
        [tenantId, run.runId, run.workflow, run.status ?? 'pending', JSON.stringify(run.input ?? null), run.classification ?? []],
      );
      return { created: rows.length === 1 };
    });
  }

  async markRunning(tenantId: string, runId: string): Promise<void> {
    await this.transition(tenantId, runId, 'running', {});
  }

  async completeRun(tenantId: string, runId: string, result: unknown, resultUri: string | null): Promise<boolean> {
    return this.transition(tenantId, runId, 'completed', { result: JSON.stringify(result), result_uri: resultUri });
  }

  async failRun(tenantId: string, runId: string, error: string, failedStep: string): Promise<boolean> {
    return this.transition(tenantId, runId, 'failed', { error, failed_step: failedStep });
  }

  /** Records a step once; returns the stored record (the earlier one if it already existed). */
  async recordStep(tenantId: string, runId: string, step: NewStep): Promise<{ record: StepRecord; firstWrite: boolean }> {
    return withTenant(this.ds, tenantId, async (em) => {
      const inserted: StepRow[] = await em.query(
        `INSERT INTO runs.steps (tenant_id, run_id, step, agent, status, attempt, input_event_id, output, error, started_at, finished_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)
         ON CONFLICT (tenant_id, run_id, step) DO NOTHING
         RETURNING step, agent, status, attempt, output, error, started_at, finished_at`,
        [tenantId, runId, step.step, step.agent, step.status, step.attempt, step.inputEventId, JSON.stringify(step.output ?? null), step.error ?? null, step.startedAt, step.finishedAt],
      );
      if (inserted[0]) return { record: toStep(inserted[0]), firstWrite: true };
      const existing: StepRow[] = await em.query(
        `SELECT step, agent, status, attempt, output, error, started_at, finished_at FROM runs.steps WHERE tenant_id = $1 AND run_id = $2 AND step = $3`,
        [tenantId, runId, step.step],
      );
      return { record: toStep(existing[0]!), firstWrite: false };
    });
  }

  /** Records one input of a join agent; see `arriveAtJoin` for the exactly-one-completer rule. */
  async arriveAtJoin(tenantId: string, runId: string, agent: string, part: JoinPart, required: readonly string[]): Promise<JoinState> {
    return arriveAtJoin(this.ds, tenantId, runId, agent, part, required);
  }

  async getJoin(tenantId: string, runId: string, agent: string): Promise<(JoinState & { required: string[] }) | undefined> {
    return readJoin(this.ds, tenantId, runId, agent);
  }

  async getRun(tenantId: string, runId: string): Promise<RunRecord | undefined> {
    return withTenant(this.ds, tenantId, async (em) => {
      const runs: RunRow[] = await em.query(`SELECT * FROM runs.runs WHERE tenant_id = $1 AND run_id = $2`, [tenantId, runId]);
      const run = runs[0];
      if (!run) return undefined;
      const steps: StepRow[] = await em.query(
        `SELECT step, agent, status, attempt, output, error, started_at, finished_at FROM runs.steps WHERE tenant_id = $1 AND run_id = $2 ORDER BY started_at, step`,
        [tenantId, runId],
      );
      return toRun(run, steps.map(toStep));
    });
  }

  async listRuns(tenantId: string, limit = 50): Promise<RunRecord[]> {
    return withTenant(this.ds, tenantId, async (em) => {
      const runs: RunRow[] = await em.query(`SELECT * FROM runs.runs WHERE tenant_id = $1 ORDER BY created_at DESC LIMIT $2`, [tenantId, limit]);
      return runs.map((r) => toRun(r, []));
    });
  }

  private async transition(tenantId: string, runId: string, to: RunStatus, fields: Record<string, unknown>): Promise<boolean> {
    return withTenant(this.ds, tenantId, async (em: EntityManager) => {
      const from = (Object.keys(RUN_TRANSITIONS) as RunStatus[]).filter((f) => RUN_TRANSITIONS[f].includes(to));
      const sets = Object.keys(fields).map((k, i) => `${k} = $${i + 4}`);
      const rows: unknown[] = await em.query(
        `UPDATE runs.runs SET status = $3, updated_at = now()${sets.length ? ', ' + sets.join(', ') : ''}
         WHERE tenant_id = $1 AND run_id = $2 AND status = ANY($${sets.length + 4}::text[]) RETURNING run_id`,
        [tenantId, runId, to, ...Object.values(fields), from],
      );
      return rows.length > 0;
    });
  }
}

function toStep(r: StepRow): StepRecord {
  return { step: r.step, agent: r.agent, status: r.status, attempt: r.attempt, output: r.output, error: r.error, startedAt: r.started_at, finishedAt: r.finished_at };
}

function toRun(r: RunRow, steps: StepRecord[]): RunRecord {
  return {
    tenantId: r.tenant_id,
    runId: r.run_id,
    workflow: r.workflow,
    status: r.status,
    input: r.input,
    result: r.result,
    resultUri: r.result_uri,
    error: r.error,
    failedStep: r.failed_step,
    classification: r.classification,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    steps,
  };
}
