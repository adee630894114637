import type { RegisteredAgent, Run as ApiRun, RunEvent as ApiRunEvent, RunStatus as ApiRunStatus, RunStep as ApiRunStep, StartRunBody } from '@weaver/api-schema';

/**
 * The gateway's REST API as the CLI's commands use it (docs/api.md). Commands depend on this
 * interface, not on HTTP: `SdkGateway` implements it with the SDK's `WeaverClient` (the one
 * REST client), tests with scripted gateways. The shapes are @weaver/api-schema's.
 */
export type RunStatus = ApiRunStatus;
export type RunStep = ApiRunStep;
export type Run = ApiRun;
export type RunEvent = ApiRunEvent;
export type StartRunRequest = Pick<StartRunBody, 'workflow' | 'input' | 'runId' | 'classification'>;

/** One registered agent, as the CLI shows it: the registry's view (definition + instances) made flat. */
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

/** "INSTANCE_HEALTH_HEALTHY" → "healthy". */
export const healthName = (health: string): string => health.toLowerCase().replace(/^instance_health_/, '');

/** The registry's view of an agent, flattened for tables and `--json`. */
export function agentSummaryOf(agent: RegisteredAgent): AgentSummary {
  const d = agent.definition;
  const instances = agent.instances.map((i) => ({ instanceId: i.instanceId, health: healthName(i.health), host: i.host, inFlight: i.inFlight }));
  return {
    name: d?.name ?? '',
    version: d?.version ?? '',
    description: d?.description ?? '',
    capabilities: d?.capabilities ?? [],
    requires: d?.requires ?? [],
    publishes: d?.publishes ?? [],
    instances,
    healthyInstances: agent.healthyInstances,
  };
}
