import { z } from 'zod';
import { IsoTime, Uuid } from './common';

/**
 * The run as the REST API shows it: the one declaration of the run's public shape. The
 * gateway's RunView (run-api), the SDK's RunSummary and the CLI's Run are `z.infer` of these.
 * (gRPC's `weaver.gateway.v1.Run` is the wire form of the same fields, in proto/.)
 */
export const RUN_STATUSES = ['pending', 'running', 'completed', 'failed', 'cancelled'] as const;
export const RunStatus = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof RunStatus>;

export const RunStep = z.object({
  step: z.string(),
  agent: z.string(),
  status: z.string().describe('completed | failed'),
  attempt: z.number().int(),
  startedAt: IsoTime,
  finishedAt: IsoTime,
  durationMs: z.number(),
});
export type RunStep = z.infer<typeof RunStep>;

export const Run = z.object({
  runId: Uuid,
  tenantId: Uuid,
  workflow: z.string(),
  status: RunStatus,
  input: z.unknown().describe('the run input (any JSON)'),
  result: z.unknown().describe('the run result once completed, else null'),
  error: z.string().nullable(),
  failedStep: z.string().nullable(),
  subjectId: z.string().nullable().describe('the data subject the run is about (null: none)'),
  classification: z.array(z.string()).describe('as recorded at intake (canonical: level first, then labels)'),
  createdAt: IsoTime,
  updatedAt: IsoTime,
  steps: z.array(RunStep).describe('the timeline (empty in lists)'),
});
export type Run = z.infer<typeof Run>;

export const RUN_EVENT_KINDS = ['snapshot', 'run.started', 'step.delta', 'step.completed', 'step.failed', 'run.completed', 'run.failed', 'run.cancelled'] as const;
export const RunEventKind = z.enum(RUN_EVENT_KINDS);
export type RunEventKind = z.infer<typeof RunEventKind>;

/** One change of a run (SSE `data:`; the SSE `event:` is its kind). Terminal events and the snapshot carry the run. */
export const RunEvent = z.object({
  kind: RunEventKind,
  runId: Uuid,
  /** step.delta: streamed LLM text of a running step (best-effort, not part of its outcome) and its number. */
  delta: z.string().optional(),
  seq: z.number().int().optional(),
  step: z.string().optional(),
  agent: z.string().optional(),
  durationMs: z.number().optional(),
  error: z.string().optional(),
  run: Run.optional(),
  time: IsoTime,
});
export type RunEvent = z.infer<typeof RunEvent>;

/** The SDK's rule for workflow names (`new Workflow(name)`): kebab-case or snake_case. */
export const WORKFLOW_NAME = /^[a-z][a-z0-9_-]*$/;

export const StartRunBody = z.object({
  workflow: z.string({ error: 'must be a workflow name (lowercase words joined by - or _, e.g. "content-pipeline")' }).regex(WORKFLOW_NAME, 'must be a workflow name (lowercase words joined by - or _, e.g. "content-pipeline")'),
  input: z.unknown().refine((v) => v !== undefined, 'is required (any JSON value)').describe('the entry agent\'s input (any JSON)'),
  runId: Uuid.optional().describe('client-chosen id: makes the start idempotent (retry with the same id)'),
  classification: z.array(z.string(), { error: 'must be an array of classification labels' }).optional().describe('level first, then labels (docs/governance.md)'),
  subjectId: z.string().regex(/^[A-Za-z0-9._:@-]{0,200}$/, 'must be 1-200 characters of A-Z a-z 0-9 . _ : @ -').nullable().optional().describe('the person the run is about (export and erasure find the run by it)'),
});
export type StartRunBody = z.input<typeof StartRunBody>;
