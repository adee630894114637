import type { PoolClient } from 'pg';
import { RUN_TRANSITIONS, type RunStatus, type StepRecord, type StepStatus } from './run.types';
import { executeMemoryWrites, hasMemoryWrites, type MemoryCommit, type StepMemoryWrites } from './memory/memory-writes';

/**
 * The writes of the step hot path as operations a `TenantBatcher` can group: each kind becomes
 * one multi-row statement per batch (`unnest` of parameter arrays), so a batch of N steps costs
 * the same round trips as one.
 */
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

export interface NewRun {
  runId: string;
  workflow: string;
  input: unknown;
  classification?: string[];
  /** The data subject the run is about (erasure and export find the run by it). */
  subjectId?: string | null;
  status?: RunStatus;
}

export type RunWrite =
  | { kind: 'createRun'; run: NewRun }
  // `subjectId`: the run's data subject, whose key seals the output/result (not a column: runs.runs has it).
  // `memory`: what the step wrote to agent memory; applied only when this is the step's first write.
  | { kind: 'recordStep'; runId: string; step: NewStep; subjectId?: string | null; memory?: StepMemoryWrites }
  | { kind: 'transition'; runId: string; to: RunStatus; result?: unknown; resultUri?: string | null; error?: string; failedStep?: string; subjectId?: string | null };

/**
 * `cancelled`: the run was cancelled, so the step is not recorded (or, redelivered, not
 * re-emitted): the caller acknowledges its input without emitting. `record` is then the step as
 * it was offered (never stored).
 */
export type RunWriteResult = { created: boolean } | { record: StepRecord; firstWrite: boolean; memory?: MemoryCommit; cancelled?: true } | { moved: boolean };

/** A `runs.steps` row as the queries here select it (run_id only where several runs are read). */
export interface StepRow {
  run_id?: string;
  step: string;
  agent: string;
  status: StepStatus;
  attempt: number;
  output: unknown;
  error: string | null;
  started_at: Date;
  finished_at: Date;
}

const STEP_COLUMNS = 'run_id, step, agent, status, attempt, output, error, started_at, finished_at';
const json = (v: unknown): string => JSON.stringify(v ?? null);

export function toStep(r: StepRow): StepRecord {
  return { step: r.step, agent: r.agent, status: r.status, attempt: r.attempt, output: r.output, error: r.error, startedAt: r.started_at, finishedAt: r.finished_at };
}

/** Executes one tenant's batch (inside the batcher's transaction); results in submission order. */
export async function executeRunWrites(client: PoolClient, tenantId: string, ops: readonly RunWrite[]): Promise<RunWriteResult[]> {
  const results: RunWriteResult[] = new Array(ops.length);
  const index = <K extends RunWrite['kind']>(kind: K) => ops.flatMap((op, i) => (op.kind === kind ? [[i, op as Extract<RunWrite, { kind: K }>] as const] : []));
  await createRuns(client, tenantId, index('createRun'), results);
  await recordSteps(client, tenantId, index('recordStep'), results);
  // Transitions in submission order, grouped by consecutive target status (one statement each).
  const transitions = index('transition');
  for (let i = 0; i < transitions.length; ) {
    let j = i;
    while (j < transitions.length && transitions[j]![1].to === transitions[i]![1].to) j++;
    await transition(client, tenantId, transitions.slice(i, j), results);
    i = j;
  }
  return results;
}

async function createRuns(client: PoolClient, tenantId: string, ops: ReadonlyArray<readonly [number, Extract<RunWrite, { kind: 'createRun' }>]>, out: RunWriteResult[]): Promise<void> {
  if (!ops.length) return;
  const runs = ops.map(([, o]) => o.run);
  const { rows } = await client.query<{ run_id: string }>(
    `INSERT INTO runs.runs (tenant_id, run_id, workflow, status, input, classification, subject_id)
     SELECT $1, v.run_id, v.workflow, v.status, v.input::jsonb, ARRAY(SELECT jsonb_array_elements_text(v.classification::jsonb)), NULLIF(v.subject_id, '')
     FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS v(run_id, workflow, status, input, classification, subject_id)
     ON CONFLICT (tenant_id, run_id) DO NOTHING RETURNING run_id`,
    [
      tenantId,
      runs.map((r) => r.runId),
      runs.map((r) => r.workflow),
      runs.map((r) => r.status ?? 'pending'),
      runs.map((r) => json(r.input)),
      runs.map((r) => json(r.classification ?? [])),
      runs.map((r) => r.subjectId ?? ''),
    ],
  );
  const created = new Set(rows.map((r) => r.run_id));
  for (const [i, o] of ops) {
    const first = created.delete(o.run.runId.toLowerCase());
    out[i] = { created: first };
  }
}

async function recordSteps(client: PoolClient, tenantId: string, ops: ReadonlyArray<readonly [number, Extract<RunWrite, { kind: 'recordStep' }>]>, out: RunWriteResult[]): Promise<void> {
  if (!ops.length) return;
  const s = ops.map(([, o]) => ({ runId: o.runId, ...o.step }));
  const { rows } = await client.query<StepRow>(
    `INSERT INTO runs.steps (tenant_id, run_id, step, agent, status, attempt, input_event_id, output, error, started_at, finished_at)
     SELECT $1, v.run_id, v.step, v.agent, v.status, v.attempt, v.input_event_id, v.output::jsonb, v.error, v.started_at, v.finished_at
     FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[], $8::text[], $9::text[], $10::timestamptz[], $11::timestamptz[])
       AS v(run_id, step, agent, status, attempt, input_event_id, output, error, started_at, finished_at)
     -- A cancelled run records no more steps (one primary-key probe per row, same statement).
     WHERE NOT EXISTS (SELECT 1 FROM runs.runs r WHERE r.tenant_id = $1 AND r.run_id = v.run_id AND r.status = 'cancelled')
     ON CONFLICT (tenant_id, run_id, step) DO NOTHING
     RETURNING ${STEP_COLUMNS}`,
    [
      tenantId,
      s.map((x) => x.runId),
      s.map((x) => x.step),
      s.map((x) => x.agent),
      s.map((x) => x.status),
      s.map((x) => x.attempt),
      s.map((x) => x.inputEventId),
      s.map((x) => json(x.output)),
      s.map((x) => x.error ?? null),
      s.map((x) => x.startedAt),
      s.map((x) => x.finishedAt),
    ],
  );
  const key = (runId: string | undefined, step: string): string => `${(runId ?? '').toLowerCase()}/${step}`;
  const inserted = new Map(rows.map((r) => [key(r.run_id, r.step), r]));
  const missing = s.filter((x) => !inserted.has(key(x.runId, x.step)));
  // Steps written before (a redelivered step): the first write wins, hand it back — unless the
  // run was cancelled since (then nothing is re-emitted). Only this rare path reads more.
  const existing = new Map<string, StepRow>();
  const cancelled = new Set<string>();
  if (missing.length) {
    const found = await client.query<StepRow>(
      `SELECT ${STEP_COLUMNS} FROM runs.steps WHERE tenant_id = $1 AND (run_id, step) IN (SELECT * FROM unnest($2::uuid[], $3::text[]))`,
      [tenantId, missing.map((x) => x.runId), missing.map((x) => x.step)],
    );
    for (const r of found.rows) existing.set(key(r.run_id, r.step), r);
    const stopped = await client.query<{ run_id: string }>(`SELECT run_id FROM runs.runs WHERE tenant_id = $1 AND run_id = ANY($2::uuid[]) AND status = 'cancelled'`, [tenantId, missing.map((x) => x.runId)]);
    for (const r of stopped.rows) cancelled.add(r.run_id.toLowerCase());
  }
  for (const [i, o] of ops) {
    const k = key(o.runId, o.step.step);
    if (!inserted.has(k) && cancelled.has(o.runId.toLowerCase())) {
      const { step, agent, status, attempt, startedAt, finishedAt } = o.step;
      out[i] = { record: { step, agent, status, attempt, output: null, error: null, startedAt, finishedAt }, firstWrite: false, cancelled: true };
      continue;
    }
    const mine = inserted.get(k);
    if (mine) {
      inserted.delete(k); // a second op for the same step in this batch gets it as "existing"
      existing.set(k, mine);
      out[i] = { record: toStep(mine), firstWrite: true };
    } else {
      const row = existing.get(k);
      if (!row) throw new Error(`step ${k} neither inserted nor found`);
      out[i] = { record: toStep(row), firstWrite: false };
    }
  }
  // Memory commits with the step's first write only: a redelivered step stores nothing twice.
  // A batch without memory writes pays nothing more.
  const withMemory = ops.filter(([i, o]) => (out[i] as { firstWrite: boolean }).firstWrite && hasMemoryWrites(o.memory));
  if (!withMemory.length) return;
  const commits = await executeMemoryWrites(client, tenantId, withMemory.map(([, o]) => ({ runId: o.runId, writes: o.memory! })));
  withMemory.forEach(([i], n) => {
    out[i] = { ...(out[i] as { record: StepRecord; firstWrite: boolean }), memory: commits[n] };
  });
}

async function transition(client: PoolClient, tenantId: string, ops: ReadonlyArray<readonly [number, Extract<RunWrite, { kind: 'transition' }>]>, out: RunWriteResult[]): Promise<void> {
  const to = ops[0]![1].to;
  const from = (Object.keys(RUN_TRANSITIONS) as RunStatus[]).filter((f) => RUN_TRANSITIONS[f].includes(to));
  const t = ops.map(([, o]) => o);
  // COALESCE keeps columns a transition does not set (e.g. "running" leaves result alone).
  const { rows } = await client.query<{ run_id: string }>(
    `UPDATE runs.runs AS r SET status = $2, updated_at = now(),
       result = COALESCE(v.result::jsonb, r.result), result_uri = COALESCE(v.result_uri, r.result_uri),
       error = COALESCE(v.error, r.error), failed_step = COALESCE(v.failed_step, r.failed_step)
     FROM (SELECT DISTINCT ON (run_id) * FROM unnest($3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[]) AS u(run_id, result, result_uri, error, failed_step)) AS v
     WHERE r.tenant_id = $1 AND r.run_id = v.run_id AND r.status = ANY($8::text[])
     RETURNING r.run_id`,
    [
      tenantId,
      to,
      t.map((o) => o.runId),
      t.map((o) => (o.result === undefined ? null : json(o.result))),
      t.map((o) => o.resultUri ?? null),
      t.map((o) => o.error ?? null),
      t.map((o) => o.failedStep ?? null),
      from,
    ],
  );
  const moved = new Set(rows.map((r) => r.run_id));
  for (const [i, o] of ops) out[i] = { moved: moved.delete(o.runId.toLowerCase()) };
}
