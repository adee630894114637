import type { DataSource, EntityManager } from 'typeorm';
import { PLAINTEXT, type PayloadCipher } from '@weaver/crypto';
import { poolOf, returnedRows, TenantBatcher, withSettings, withTenant } from '@weaver/persistence';
import { arriveAtJoin, readJoin } from './join-store';
import type { JoinPart, JoinState } from './join-state';
import { TERMINAL_RUN_STATES, type RunRecord, type RunStatus, type StepRecord } from './run.types';
import { executeRunWrites, toStep, type NewRun, type NewStep, type RunWrite, type RunWriteResult, type StepRow } from './run-writes';
import { RunFields } from './run-fields';
import type { MemoryCommit, StepMemoryWrites } from './memory/memory-writes';
import { selectRunPage, type RunPageFilter } from './run-pages';
import { RunControl } from './run-control';

export type { NewRun, NewStep } from './run-writes';

/** Set to `on` in a transaction that lists every tenant's runs (the admin list; policy `runs_admin_read`). */
export const RUNS_ADMIN_SETTING = 'weaver.runs_admin';

export interface RunRow {
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
  subject_id: string | null;
  created_at: Date;
  updated_at: Date;
}

/**
 * Runs and steps in PostgreSQL, every query under the run's tenant (row-level security).
 * Steps are write-once: `recordStep` keeps the first result for (tenant, run, step) and hands
 * it back to a redelivered event, so a crash between the database and the Kafka commit leaves
 * exactly one result, and the re-emitted event carries the same content.
 */
export class RunStore {
  private batcher?: TenantBatcher<RunWrite, RunWriteResult>;
  private readonly fields: RunFields;

  /**
   * `maxInFlight`: write batches at once, each on its own pooled connection (default 4).
   * `cipher`: seals inputs, results, step outputs and join parts under the tenant's data key
   * (default PLAINTEXT: services pass the one from payloadCipherFromConfig).
   */
  constructor(
    private readonly ds: DataSource,
    private readonly opts: { maxInFlight?: number; cipher?: PayloadCipher } = {},
  ) {
    this.fields = new RunFields(opts.cipher ?? PLAINTEXT);
  }

  /**
   * Writes go through one group-commit batcher (see TenantBatcher): concurrent steps share
   * transactions. Values are sealed before the op is queued (no key round trip in the batch,
   * which stays one multi-row statement); a step record handed back is opened again.
   */
  private async write<R extends RunWriteResult>(tenantId: string, op: RunWrite): Promise<R> {
    this.batcher ??= new TenantBatcher(poolOf(this.ds), executeRunWrites, { maxInFlight: this.opts.maxInFlight });
    const result = await this.batcher.submit(tenantId, await this.fields.sealWrite(tenantId, op));
    return ('record' in result ? { ...result, record: await this.fields.openStep(tenantId, result.record) } : result) as R;
  }

  /** Creates the run if new; `created` is false for an idempotent resubmission. */
  async createRun(tenantId: string, run: NewRun): Promise<{ created: boolean }> {
    return this.write(tenantId, { kind: 'createRun', run });
  }

  async markRunning(tenantId: string, runId: string): Promise<boolean> {
    return (await this.write<{ moved: boolean }>(tenantId, { kind: 'transition', runId, to: 'running' })).moved;
  }

  /** `subjectId`: the run's data subject; its key seals the result (as it sealed the input). */
  async completeRun(tenantId: string, runId: string, result: unknown, resultUri: string | null, subjectId?: string | null): Promise<boolean> {
    return (await this.write<{ moved: boolean }>(tenantId, { kind: 'transition', runId, to: 'completed', result: result ?? null, resultUri, subjectId })).moved;
  }

  async failRun(tenantId: string, runId: string, error: string, failedStep: string): Promise<boolean> {
    return (await this.write<{ moved: boolean }>(tenantId, { kind: 'transition', runId, to: 'failed', error, failedStep })).moved;
  }

  /**
   * Records a step once; returns the stored record (the earlier one if it already existed).
   * `memory`: the step's agent-memory writes, applied in the same transaction only when this
   * is the step's first write (`memory` in the result then says what committed).
   */
  async recordStep(tenantId: string, runId: string, step: NewStep, subjectId?: string | null, memory?: StepMemoryWrites): Promise<{ record: StepRecord; firstWrite: boolean; memory?: MemoryCommit; cancelled?: true }> {
    return this.write(tenantId, { kind: 'recordStep', runId, step, subjectId, memory });
  }

  /**
   * The rule for declined work (an agent's `canProcess` said no): the run cannot move on when
   * every agent of the workflow that consumes this event declined it, so it fails, naming the
   * step. With one consumer that is at once; with several (content-based routing) only once the
   * last of them declined. The run row is locked, so two consumers declining at the same moment
   * cannot both miss each other. Returns true when this call failed the run.
   */
  async declineStep(tenantId: string, runId: string, d: { step: string; inputEventId: string; consumers: readonly string[]; reason: string }): Promise<boolean> {
    return withTenant(this.ds, tenantId, async (em) => {
      const run: Array<{ status: RunStatus }> = await em.query(`SELECT status FROM runs.runs WHERE tenant_id = $1 AND run_id = $2 FOR UPDATE`, [tenantId, runId]);
      if (!run[0] || TERMINAL_RUN_STATES.includes(run[0].status)) return false;
      const declined: Array<{ n: number }> = await em.query(
        `SELECT count(*)::int AS n FROM runs.steps WHERE tenant_id = $1 AND run_id = $2 AND input_event_id = $3 AND status = 'skipped' AND step = ANY($4::text[])`,
        [tenantId, runId, d.inputEventId, d.consumers],
      );
      if ((declined[0]?.n ?? 0) < d.consumers.length) return false;
      const moved = returnedRows(await em.query(
        `UPDATE runs.runs SET status = 'failed', error = $3, failed_step = $4, updated_at = now() WHERE tenant_id = $1 AND run_id = $2 AND status IN ('pending', 'running') RETURNING run_id`,
        [tenantId, runId, d.reason, d.step],
      ));
      return moved.length > 0;
    });
  }

  /** See RunControl.claimCancelEvent: true for the one cancel record that emits `run.cancelled`. */
  claimCancelEvent(tenantId: string, runId: string, position: string): Promise<boolean> {
    return new RunControl(this.ds).claimCancelEvent(tenantId, runId, position);
  }

  statusOf(tenantId: string, runId: string): Promise<RunStatus | undefined> {
    return new RunControl(this.ds).statusOf(tenantId, runId);
  }

  /** Records one input of a join agent; see `arriveAtJoin` for the exactly-one-completer rule. */
  async arriveAtJoin(tenantId: string, runId: string, agent: string, part: JoinPart, required: readonly string[], subjectId?: string | null): Promise<JoinState> {
    const sealed = { ...part, payload: await this.fields.sealJoinPart(tenantId, part.payload, subjectId) };
    return this.fields.openJoin(tenantId, await arriveAtJoin(this.ds, tenantId, runId, agent, sealed, required));
  }

  async getJoin(tenantId: string, runId: string, agent: string): Promise<(JoinState & { required: string[] }) | undefined> {
    const join = await readJoin(this.ds, tenantId, runId, agent);
    return join && { ...(await this.fields.openJoin(tenantId, join)), required: join.required };
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
    }).then((run) => run && this.fields.openRun(run));
  }

  /**
   * A keyset page of runs (newest first, without steps), narrowed by `filter`. With a tenant: under
   * its RLS. Without: every tenant's, through the SELECT-only `runs_admin_read` policy (the admin
   * list; callers decide who may).
   */
  async listRunsPage(filter: RunPageFilter): Promise<{ runs: RunRecord[]; nextCursor?: string }> {
    const read = (em: EntityManager) => selectRunPage(em, filter);
    const page = filter.tenantId ? await withTenant(this.ds, filter.tenantId, read) : await withSettings(this.ds, { [RUNS_ADMIN_SETTING]: 'on' }, read);
    return { runs: await Promise.all(page.rows.map((r) => this.fields.openRun(toRun(r, [])))), nextCursor: page.nextCursor };
  }

  async listRuns(tenantId: string, limit = 50): Promise<RunRecord[]> {
    return withTenant(this.ds, tenantId, async (em) => {
      const runs: RunRow[] = await em.query(`SELECT * FROM runs.runs WHERE tenant_id = $1 ORDER BY created_at DESC LIMIT $2`, [tenantId, limit]);
      return runs.map((r) => toRun(r, []));
    }).then((runs) => Promise.all(runs.map((r) => this.fields.openRun(r))));
  }
}

export function toRun(r: RunRow, steps: StepRecord[]): RunRecord {
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
    subjectId: r.subject_id ?? null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    steps,
  };
}
