import type { LlmClient } from '@weaver/sdk';
import type { JoinPart, JoinState, MemoryCommit, NewStep, RunStatus, StepMemoryWrites, StepRecord, TickClaim } from '@weaver/runs';

/** Where runs and steps are recorded (RunStore implements it). */
export interface RunLedger {
  createRun(tenantId: string, run: { runId: string; workflow: string; input: unknown; classification?: string[]; subjectId?: string | null; status?: RunStatus }): Promise<{ created: boolean }>;
  /** True when the run moved to running here (it was pending). */
  markRunning(tenantId: string, runId: string): Promise<boolean>;
  /**
   * `subjectId` (the run's data subject) picks the key the output/result is sealed with.
   * `memory`: the step's memory writes, applied in the same transaction on the first write only.
   */
  recordStep(tenantId: string, runId: string, step: NewStep, subjectId?: string, memory?: StepMemoryWrites): Promise<{ record: StepRecord; firstWrite: boolean; memory?: MemoryCommit; cancelled?: true }>;
  completeRun(tenantId: string, runId: string, result: unknown, resultUri: string | null, subjectId?: string): Promise<boolean>;
  failRun(tenantId: string, runId: string, error: string, failedStep: string): Promise<boolean>;
  /** A declined step; fails the run (true) once every consumer of the event declined it (RunStore.declineStep). */
  declineStep(tenantId: string, runId: string, d: { step: string; inputEventId: string; consumers: readonly string[]; reason: string }): Promise<boolean>;
  /**
   * Run cancel (issue 12): true for the one cancel record (by its position) whose transaction
   * emits `run.cancelled` (RunControl.claimCancelEvent). Unset: cancel records are ignored.
   */
  claimCancelEvent?(tenantId: string, runId: string, position: string): Promise<boolean>;
  /** The run's status, read only on rare paths (a transition that did not move). Unset: never read. */
  statusOf?(tenantId: string, runId: string): Promise<RunStatus | undefined>;
  /** Records one input of a join agent; exactly one arriving event is ever `completedBy`. */
  arriveAtJoin(tenantId: string, runId: string, agent: string, part: JoinPart, required: readonly string[], subjectId?: string): Promise<JoinState>;
}

/** Where final results go (the publisher service); idempotent by (tenant, run, step). */
export interface ResultSink {
  /** `subjectId`: the run's data subject; the publisher seals the object under its key. */
  put(result: { tenantId: string; runId: string; step: string; data: unknown; classification: string[]; subjectId?: string }): Promise<{ uri: string }>;
}

/** Who an LLM call is for: the router bills it and derives the idempotency key from it. */
export interface LlmScope {
  tenantId: string;
  runId: string;
  workflow: string;
  agent: string;
  step: string;
  classification: string[];
  /** The run's data subject: streamed deltas (StepDeltas) are sealed under its key like the rest of the run. */
  subjectId?: string;
}

export type LlmClientFactory = (scope: LlmScope) => LlmClient;

/** Claims of scheduled ticks (ScheduleTickStore implements it): one claimant per (tenant, workflow, tick). */
export interface TickClaims {
  claim(tenantId: string, tick: { workflow: string; tickAt: Date; runId: string; input: unknown; claimedBy: string }): Promise<boolean>;
  markProduced(tenantId: string, workflow: string, tickAt: Date): Promise<void>;
  unproduced(tenantId: string, opts: { claimedBy: string | null; staleBefore: Date }): Promise<TickClaim[]>;
}
