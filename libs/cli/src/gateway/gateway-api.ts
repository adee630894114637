/**
 * The gateway's REST API as the CLI uses it (docs/api.md). Commands depend on this interface,
 * not on HTTP, so the SDK's `WeaverClient` can stand behind it once it covers every route.
 */
export type RunStatus = 'pending' | 'running' | 'completed' | 'failed';

export interface RunStep {
  step: string;
  agent: string;
  status: string;
  attempt: number;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
}

export interface Run {
  runId: string;
  tenantId: string;
  workflow: string;
  status: RunStatus;
  input?: unknown;
  result?: unknown;
  error: string | null;
  failedStep: string | null;
  createdAt: string;
  updatedAt: string;
  steps?: RunStep[];
}

export interface RunEvent {
  kind: string;
  runId: string;
  step?: string;
  agent?: string;
  durationMs?: number;
  error?: string;
  /** step.delta: text the step's model streamed since its previous delta. */
  delta?: string;
  run?: Run;
  time: string;
}

/** One registered agent, normalised from the registry's view (definition + instances). */
export interface AgentSummary {
  name: string;
  version: string;
  description: string;
  capabilities: string[];
  requires: string[];
  publishes: string[];
  instances: Array<{ instanceId: string; health: string; host: string; inFlight: number }>;
  healthyInstances: number;
}

export interface StartRunRequest {
  workflow: string;
  input: unknown;
  runId?: string;
  classification?: string[];
}

export interface GatewayApi {
  startRun(request: StartRunRequest): Promise<{ run: Run; created: boolean }>;
  getRun(runId: string): Promise<Run>;
  listRuns(limit: number): Promise<Run[]>;
  /** The final result of a completed run (404 until then). */
  getResult(runId: string): Promise<unknown>;
  /** The run's events until it ends (the stream may also end early if the connection drops). */
  runEvents(runId: string, signal?: AbortSignal): AsyncIterable<RunEvent>;
  listAgents(filter?: { capability?: string; requiresEvent?: string }): Promise<AgentSummary[]>;
}

export const TERMINAL_STATUSES: readonly RunStatus[] = ['completed', 'failed'];
export const isTerminal = (status: string): boolean => (TERMINAL_STATUSES as readonly string[]).includes(status);
