import type { CounterMetric, GaugeMetric, HistogramMetric, Metrics } from '@weaver/observability';
import { INSTANCE_HEALTHS, type InstanceHealth } from './instances/instance-health';

/** The registry's Prometheus series, all on the service's own `Metrics` registry. */
export class RegistryMetrics {
  private readonly instances: GaugeMetric<'health'>;
  private readonly definitions: GaugeMetric<'kind'>;
  private readonly heartbeatLag: HistogramMetric<never>;
  private readonly refusals: CounterMetric<'rule'>;

  constructor(metrics: Metrics) {
    this.instances = metrics.gauge('weaver_registry_instances', 'Agent instances by health (deregistered ones excluded)', ['health']);
    this.definitions = metrics.gauge('weaver_registry_agent_definitions', 'Registered agent definitions: kind="agents" counts names, kind="versions" every version', ['kind']);
    this.heartbeatLag = metrics.histogram(
      'weaver_registry_heartbeat_lag_seconds',
      'Time between consecutive heartbeats of one instance',
      [],
      [0.1, 0.25, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300],
    );
    this.refusals = metrics.counter('weaver_registry_definitions_refused_total', 'Agent versions refused by the schema compatibility check, per violated rule', ['rule']);
  }

  observeHeartbeatLag(seconds: number): void {
    this.heartbeatLag.observe({}, seconds);
  }

  definitionRefused(rules: readonly string[]): void {
    for (const rule of new Set(rules)) this.refusals.inc({ rule });
  }

  setInstanceCounts(counts: Partial<Record<InstanceHealth, number>>): void {
    for (const health of INSTANCE_HEALTHS) {
      if (health !== 'deregistered') this.instances.set({ health }, counts[health] ?? 0);
    }
  }

  setDefinitionCounts(counts: { agents: number; versions: number }): void {
    this.definitions.set({ kind: 'agents' }, counts.agents);
    this.definitions.set({ kind: 'versions' }, counts.versions);
  }
}
