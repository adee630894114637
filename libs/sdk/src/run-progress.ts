import { WeaverError } from '@weaver/errors';

/** Where a run is: waiting for its first step, running, or ended. */
export type RunStatus = 'pending' | 'running' | 'completed' | 'failed';

/** A run as the gateway shows it (`GET /v1/runs/:id`, docs/api.md). */
export interface RunSummary {
  /** The run's id. */
  runId: string;
  /** Its tenant. */
  tenantId: string;
  /** The workflow's name. */
  workflow: string;
  /** Where it is. */
  status: RunStatus;
  /** What it was started with. */
  input: unknown;
  /** The exit agent's result (null until completed). */
  result: unknown;
  /** Why it failed (null unless failed). */
  error: string | null;
  /** The step it failed at (null unless failed). */
  failedStep: string | null;
  /** When it was started (ISO 8601). */
  createdAt: string;
  /** When it last changed (ISO 8601). */
  updatedAt: string;
  /** Its steps so far. */
  steps: RunStepSummary[];
}

/** One step of a run, as the gateway shows it. */
export interface RunStepSummary {
  /** The step's name (the agent's). */
  step: string;
  /** The agent that ran it. */
  agent: string;
  /** completed, skipped (declined) or failed. */
  status: string;
  /** Which delivery ran it (1 = first). */
  attempt: number;
  /** When it started (ISO 8601). */
  startedAt: string;
  /** When it ended (ISO 8601). */
  finishedAt: string;
  /** How long it took. */
  durationMs: number;
}

/** `step.delta`: text an agent's `this.llm.stream` produced while its step runs (best-effort; SSE only). */
export type RunProgressKind = 'snapshot' | 'run.started' | 'step.delta' | 'step.completed' | 'step.failed' | 'run.completed' | 'run.failed';

/**
 * One change of a run, as `workflow.stream()` and `onProgress` report it (the gateway's SSE
 * `RunEvent`): first a `snapshot` with the run, then each change; terminal events carry the run.
 */
export interface RunProgress {
  /** What happened. */
  kind: RunProgressKind;
  /** The run. */
  runId: string;
  /** The step it concerns (step.* and run.failed). */
  step?: string;
  /** The agent of that step. */
  agent?: string;
  /** step.completed: how long the step took. */
  durationMs?: number;
  /** step.failed and run.failed: why. */
  error?: string;
  /** step.delta: the streamed text since the previous delta. */
  delta?: string;
  /** step.delta: the delta's number within its step. */
  seq?: number;
  /** snapshot and terminal events: the run as it is now. */
  run?: RunSummary;
  /** When it happened (ISO 8601). */
  time?: string;
}

/** How `workflow.run` reaches the platform: `WeaverClient` (the gateway) or an in-process runner. */
export interface WorkflowRunner {
  /** Resolves with the run's result; rejects with `RunFailedError` naming the failed step. */
  run(workflow: string, input: unknown, onProgress?: (p: RunProgress) => void): Promise<unknown>;
}

/** A run ended in failure: `step` is the step that failed (e.g. "researcher", or "trigger"). */
export class RunFailedError extends WeaverError {
  /**
   * The error `run` rejects with.
   * @param runId the run that failed
   * @param step the step it failed at
   * @param reason why (the step's public error text)
   */
  constructor(
    /** The run that failed. */
    readonly runId: string,
    /** The step it failed at. */
    readonly step: string,
    /** Why, as the platform reports it. */
    readonly reason: string,
  ) {
    super('FAILED_PRECONDITION', `run ${runId} failed at step "${step}": ${reason}`, { retriable: false, details: { runId, step, reason } });
  }
}

export const isTerminalKind = (kind: RunProgressKind): boolean => kind === 'run.completed' || kind === 'run.failed';
