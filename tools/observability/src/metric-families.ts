/**
 * The metric families Weaver's services expose that dashboards and alerts may use: name, type,
 * label names (besides `service`, the default label every series carries) and which service
 * registers it. Dashboards and alert rules are checked against this list (dashboards.spec.ts),
 * and e2e/metrics.int-spec.ts checks the list against what the running services actually
 * serve after a workflow ran, so a panel or rule can never reference a missing metric.
 * Naming and label rules: libs/observability/src/metric-labels.ts, docs/observability.md.
 */
export type FamilyType = 'counter' | 'gauge' | 'histogram';
export type ServiceName = 'gateway' | 'tenancy' | 'registry' | 'router' | 'agent-runner' | 'publisher';

export interface MetricFamily {
  name: string;
  type: FamilyType;
  labels: readonly string[];
  services: readonly ServiceName[];
}

const ALL: readonly ServiceName[] = ['gateway', 'tenancy', 'registry', 'router', 'agent-runner', 'publisher'];
/** Services whose gRPC server handles calls (the gateway's included: GatewayService). */
const GRPC: readonly ServiceName[] = ALL;
const RUNNER: readonly ServiceName[] = ['agent-runner'];
const ROUTER: readonly ServiceName[] = ['router'];

const f = (name: string, type: FamilyType, labels: readonly string[], services: readonly ServiceName[]): MetricFamily => ({ name, type, labels, services });

export const METRIC_FAMILIES: readonly MetricFamily[] = [
  // Runs and steps (libs/agent-runtime RuntimeMetrics)
  f('weaver_runs_started_total', 'counter', ['workflow'], RUNNER),
  f('weaver_runs_completed_total', 'counter', ['workflow'], RUNNER),
  f('weaver_runs_failed_total', 'counter', ['workflow'], RUNNER),
  f('weaver_steps_total', 'counter', ['workflow', 'agent', 'outcome'], RUNNER),
  f('weaver_step_duration_seconds', 'histogram', ['workflow', 'agent', 'outcome'], RUNNER),
  f('weaver_steps_in_flight', 'gauge', ['agent'], RUNNER),
  // Consumer lag and dead letters (libs/messaging ConsumerLagMonitor)
  f('weaver_consumer_lag_records', 'gauge', ['agent'], RUNNER),
  f('weaver_dlq_records', 'gauge', ['agent'], RUNNER),
  // Agent memory (libs/agent-runtime MemoryMetrics)
  f('weaver_memory_bytes', 'gauge', ['tenant', 'agent', 'kind'], RUNNER),
  f('weaver_memory_items', 'gauge', ['tenant', 'agent', 'kind'], RUNNER),
  // Event layer (libs/messaging EosMetrics)
  f('weaver_eos_records_total', 'counter', ['group', 'outcome'], RUNNER),
  f('weaver_eos_process_seconds', 'histogram', ['group'], RUNNER),
  // Usage, cost and budget per tenant (libs/model-router UsageMetrics)
  f('weaver_model_tokens_total', 'counter', ['tenant', 'workflow', 'agent', 'model', 'direction'], ROUTER),
  f('weaver_model_cost_usd_total', 'counter', ['tenant', 'workflow', 'agent', 'model'], ROUTER),
  f('weaver_budget_remaining_usd', 'gauge', ['tenant'], ROUTER),
  f('weaver_budget_limit_usd', 'gauge', ['tenant'], ROUTER),
  // Model calls (libs/model-router RouterMetrics) and breakers (libs/resilience)
  f('weaver_router_requests_total', 'counter', ['model', 'experiment', 'arm', 'outcome'], ROUTER),
  f('weaver_router_call_duration_seconds', 'histogram', ['model', 'experiment', 'arm'], ROUTER),
  f('weaver_router_budget_rejections_total', 'counter', [], ROUTER),
  f('weaver_circuit_breaker_state', 'gauge', ['breaker'], ROUTER),
  f('weaver_circuit_breaker_transitions_total', 'counter', ['breaker', 'to'], ROUTER),
  // Every service (libs/service-kit, prom-client defaults)
  f('http_request_duration_seconds', 'histogram', ['method', 'route', 'status'], ALL),
  f('grpc_server_calls_total', 'counter', ['method', 'code'], GRPC),
  f('process_resident_memory_bytes', 'gauge', [], ALL),
];

/** The series names a family yields in the exposition (a histogram's _bucket, _sum, _count). */
export function seriesNamesOf(family: MetricFamily): string[] {
  return family.type === 'histogram' ? [`${family.name}_bucket`, `${family.name}_sum`, `${family.name}_count`] : [family.name];
}

/** Series name -> its family, for every family above. */
export const FAMILY_OF_SERIES: ReadonlyMap<string, MetricFamily> = new Map(METRIC_FAMILIES.flatMap((fam) => seriesNamesOf(fam).map((s) => [s, fam] as const)));
