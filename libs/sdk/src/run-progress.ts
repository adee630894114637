import { WeaverError } from '@weaver/errors';

export type RunStatus = 'pending' | 'running' | 'completed' | 'failed';

/** A run as the gateway shows it (`GET /v1/runs/:id`, docs/api.md). */
export interface RunSummary {
  runId: string;
  tenantId: string;
  workflow: string;
  status: RunStatus;
  input: unknown;
  result: unknown;
  error: string | null;
  failedStep: string | null;
  createdAt: string;
  updatedAt: string;
  steps: Array<{ step: string; agent: string; status: string; attempt: number; startedAt: string; finishedAt: string; durationMs: number }>;
}

/** `step.delta`: text an agent's `this.llm.stream` produced while its step runs (best-effort; SSE only). */
export type RunProgressKind = 'snapshot' | 'run.started' | 'step.delta' | 'step.completed' | 'step.failed' | 'run.completed' | 'run.failed';

/**
 * One change of a run, as `workflow.stream()` and `onProgress` report it (the gateway's SSE
 * `RunEvent`): first a `snapshot` with the run, then each change; terminal events carry the run.
 */
export interface RunProgress {
  kind: RunProgressKind;
  runId: string;
  step?: string;
  agent?: string;
  durationMs?: number;
  error?: string;
  /** step.delta: the streamed text since the previous delta, and its number. */
  delta?: string;
  seq?: number;
  run?: RunSummary;
  time?: string;
}

/** How `workflow.run` reaches the platform: `WeaverClient` (the gateway) or an in-process runner. */
export interface WorkflowRunner {
  /** Resolves with the run's result; rejects with `RunFailedError` naming the failed step. */
  run(workflow: string, input: unknown, onProgress?: (p: RunProgress) => void): Promise<unknown>;
}

/** A run ended in failure: `step` is the step that failed (e.g. "researcher", or "trigger"). */
export class RunFailedError extends WeaverError {
  constructor(
    readonly runId: string,
    readonly step: string,
    readonly reason: string,
  ) {
    super('FAILED_PRECONDITION', `run ${runId} failed at step "${step}": ${reason}`, { retriable: false, details: { runId, step, reason } });
  }
}

export const isTerminalKind = (kind: RunProgressKind): boolean => kind === 'run.completed' || kind === 'run.failed';
