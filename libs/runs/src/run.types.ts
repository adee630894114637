export type RunStatus = 'pending' | 'running' | 'completed' | 'failed' | 'cancelled';
export type StepStatus = 'completed' | 'failed' | 'skipped';

export interface StepRecord {
  step: string;
  agent: string;
  status: StepStatus;
  attempt: number;
  output: unknown;
  error: string | null;
  startedAt: Date;
  finishedAt: Date;
}

export interface RunRecord {
  tenantId: string;
  runId: string;
  workflow: string;
  status: RunStatus;
  input: unknown;
  result: unknown;
  resultUri: string | null;
  error: string | null;
  failedStep: string | null;
  classification: string[];
  /** The data subject the run is about, or null. */
  subjectId: string | null;
  createdAt: Date;
  updatedAt: Date;
  steps: StepRecord[];
}

/**
 * Legal run transitions; anything else is ignored (a replayed event must not move a run back).
 * `cancelled` is terminal: a cancelled run's later steps are acknowledged without emitting
 * (RunStore.recordStep answers `cancelled`). `failed -> running` is a retry from the failed
 * step (or a replayed dead letter of it).
 */
export const RUN_TRANSITIONS: Record<RunStatus, RunStatus[]> = {
  pending: ['running', 'completed', 'failed', 'cancelled'],
  running: ['completed', 'failed', 'cancelled'],
  completed: [],
  failed: ['running'],
  cancelled: [],
};

/** The states a run ends in (no step moves it on). */
export const TERMINAL_RUN_STATES: readonly RunStatus[] = ['completed', 'failed', 'cancelled'];
