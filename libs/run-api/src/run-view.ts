import type { Run, RunEvent } from '@weaver/api-schema';
import type { RunRecord } from '@weaver/runs';

/** A run as the public API shows it (docs/api.md): ISO times, durations, no internals. Declared once, in @weaver/api-schema. */
export type RunView = Run;

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

/** One change of a run, as the SSE stream and StreamRun send it (@weaver/api-schema RunEvent). */
export type RunEventView = RunEvent;

export const isTerminal = (kind: RunEventView['kind'] | RunView['status']): boolean =>
  kind === 'run.completed' || kind === 'run.failed' || kind === 'run.cancelled' || kind === 'completed' || kind === 'failed' || kind === 'cancelled';
