import type { Run, RunEvent, RunEventKind, RunStep } from '@weaver/api-schema';
import { WeaverError } from '@weaver/errors';

export type { RunStatus } from '@weaver/api-schema';

/** A run as the gateway shows it (`GET /v1/runs/{runId}`, docs/api.md): @weaver/api-schema's Run. */
export type RunSummary = Run;

/** One step of a run, as the gateway shows it (@weaver/api-schema's RunStep). */
export type RunStepSummary = RunStep;

/** `step.delta`: text an agent's `this.llm.stream` produced while its step runs (best-effort; SSE only). */
export type RunProgressKind = RunEventKind;

/**
 * One change of a run, as `workflow.stream()` and `onProgress` report it (the gateway's SSE
 * `RunEvent`, @weaver/api-schema): first a `snapshot` with the run, then each change; terminal events carry the run.
 */
export type RunProgress = RunEvent;

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
