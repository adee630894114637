import { RuntimeMetrics } from '@weaver/agent-runtime';
import { ConsumerLagMonitor, createKafka } from '@weaver/messaging';
import { RouterMetrics, UsageMetrics } from '@weaver/model-router';
import { createLogger, Metrics } from '@weaver/observability';
import { createBreaker } from '@weaver/resilience';
import { GrpcMetricsInterceptor } from '@weaver/service-kit';
import { METRIC_FAMILIES } from './metric-families';

/**
 * The family list (what dashboards and alerts are checked against) against the registry the
 * services' own metric classes fill, in process: same names, types and label names. The
 * families registered deeper inside components that need a broker or a database (event layer,
 * agent memory, HTTP hook, process defaults) are checked against the running services by
 * e2e/metrics.int-spec.ts.
 */
const CHECKED_END_TO_END = ['weaver_memory_bytes', 'weaver_memory_items', 'weaver_eos_records_total', 'weaver_eos_process_seconds', 'http_request_duration_seconds', 'process_resident_memory_bytes'];

describe('METRIC_FAMILIES against the registry the metric classes fill', () => {
  const metrics = new Metrics('families');
  new RuntimeMetrics(metrics);
  new UsageMetrics(metrics);
  new RouterMetrics(metrics);
  new GrpcMetricsInterceptor(metrics);
  // Constructing a client connects nothing; the monitor only registers its gauges here.
  new ConsumerLagMonitor(createKafka({ brokers: ['127.0.0.1:9'], clientId: 'families' }), [], metrics, createLogger('families', { level: 'silent' }));
  createBreaker('families', {}, metrics).shutdown();

  it.each(METRIC_FAMILIES.filter((f) => !CHECKED_END_TO_END.includes(f.name)).map((f) => [f.name, f] as const))('%s is registered with its type and label names', (name, family) => {
    const metric = metrics.registry.getSingleMetric(name) as unknown as { labelNames?: string[]; constructor: { name: string } } | undefined;
    expect(metric).toBeDefined();
    expect(metric!.constructor.name.toLowerCase()).toBe(family.type);
    expect([...(metric!.labelNames ?? [])].sort()).toEqual([...family.labels].sort());
  });

  it('every weaver_ family the classes register follows the naming rule', () => {
    const names = metrics.registry.getMetricsAsArray().map((m) => (m as unknown as { name: string }).name).filter((n) => n.startsWith('weaver_'));
    const counters = metrics.registry.getMetricsAsArray().filter((m) => m.constructor.name === 'Counter').map((m) => (m as unknown as { name: string }).name);
    expect(names.length).toBeGreaterThan(15);
    expect(counters.filter((n) => !n.endsWith('_total'))).toEqual([]);
  });
});
