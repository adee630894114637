import type { RunRecord } from '@weaver/runs';

/** A run as the public API shows it (docs/api.md): ISO times, durations, no internals. */
export interface RunView {
  runId: string;
  tenantId: string;
  workflow: string;
  status: RunRecord['status'];
  input: unknown;
  result: unknown;
  error: string | null;
  failedStep: string | null;
  /** The data subject the run is about (null: none). */
  subjectId: string | null;
  /** The run's classification as recorded at intake (canonical: level first, then labels). */
  classification: string[];
  createdAt: string;
  updatedAt: string;
  steps: Array<{ step: string; agent: string; status: string; attempt: number; startedAt: string; finishedAt: string; durationMs: number }>;
}

export function runView(run: RunRecord): RunView {
  return {
    runId: run.runId,
    tenantId: run.tenantId,
    workflow: run.workflow,
    status: run.status,
    input: run.input,
    result: run.result,
    error: run.error,
    failedStep: run.failedStep,
    subjectId: run.subjectId,
    classification: run.classification,
    createdAt: run.createdAt.toISOString(),
    updatedAt: run.updatedAt.toISOString(),
    steps: run.steps.map((s) => ({
      step: s.step,
      agent: s.agent,
      status: s.status,
      attempt: s.attempt,
      startedAt: s.startedAt.toISOString(),
      finishedAt: s.finishedAt.toISOString(),
      durationMs: s.finishedAt.getTime() - s.startedAt.getTime(),
    })),
  };
}

/** One change of a run, as the SSE stream and StreamRun send it. */
export interface RunEventView {
  kind: 'snapshot' | 'run.started' | 'step.delta' | 'step.completed' | 'step.failed' | 'run.completed' | 'run.failed' | 'run.cancelled';
  runId: string;
  /** step.delta: streamed LLM text of a running step (best-effort, not part of its outcome) and its number. */
  delta?: string;
  seq?: number;
  step?: string;
  agent?: string;
  durationMs?: number;
  error?: string;
  run?: RunView;
  time: string;
}

export const isTerminal = (kind: RunEventView['kind'] | RunView['status']): boolean =>
  kind === 'run.completed' || kind === 'run.failed' || kind === 'run.cancelled' || kind === 'completed' || kind === 'failed' || kind === 'cancelled';
