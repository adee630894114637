import type { LlmClient } from '@weaver/sdk';
import type { NewStep, RunStatus, StepRecord } from '@weaver/runs';

/** Where runs and steps are recorded (RunStore implements it). */
export interface RunLedger {
  createRun(tenantId: string, run: { runId: string; workflow: string; input: unknown; classification?: string[]; status?: RunStatus }): Promise<{ created: boolean }>;
  markRunning(tenantId: string, runId: string): Promise<void>;
  findStep(tenantId: string, runId: string, step: string): Promise<StepRecord | undefined>;
  recordStep(tenantId: string, runId: string, step: NewStep): Promise<{ record: StepRecord; firstWrite: boolean }>;
  completeRun(tenantId: string, runId: string, result: unknown, resultUri: string | null): Promise<boolean>;
  failRun(tenantId: string, runId: string, error: string, failedStep: string): Promise<boolean>;
}

/** Where final results go (the publisher service); idempotent by (tenant, run, step). */
export interface ResultSink {
  put(result: { tenantId: string; runId: string; step: string; data: unknown; classification: string[] }): Promise<{ uri: string }>;
}

/** Who an LLM call is for: the router bills it and derives the idempotency key from it. */
export interface LlmScope {
  tenantId: string;
  runId: string;
  workflow: string;
  agent: string;
  step: string;
  classification: string[];
}

export type LlmClientFactory = (scope: LlmScope) => LlmClient;
