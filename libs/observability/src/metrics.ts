import client from 'prom-client';

/**
 * Weaver's metrics facade over prom-client: one registry per process, default Node metrics,
 * and typed helpers. Other libraries use these interfaces, never prom-client directly.
 */
export interface CounterMetric<L extends string> {
  inc(labels?: Partial<Record<L, string>>, value?: number): void;
}
export interface GaugeMetric<L extends string> {
  set(labels: Partial<Record<L, string>>, value: number): void;
  inc(labels?: Partial<Record<L, string>>, value?: number): void;
  dec(labels?: Partial<Record<L, string>>, value?: number): void;
}
export interface HistogramMetric<L extends string> {
  observe(labels: Partial<Record<L, string>>, value: number): void;
}

const LINT_BREAKING_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

export class Metrics {
  readonly registry = new client.Registry();

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    client.collectDefaultMetrics({ register: this.registry });
    // prom-client's three `*_total` gauges break the naming rule promtool checks (a gauge must
    // not end in _total); the same numbers are the sum of nodejs_active_{handles,requests,resources}.
    for (const name of LINT_BREAKING_DEFAULTS) this.registry.removeSingleMetric(name);
  }

  counter<L extends string>(name: string, help: string, labelNames: readonly L[] = []): CounterMetric<L> {
    const c = this.existing<client.Counter<L>>(name) ?? new client.Counter({ name, help, labelNames, registers: [this.registry] });
    return { inc: (labels = {}, value = 1) => c.inc(labels, value) };
  }

  gauge<L extends string>(name: string, help: string, labelNames: readonly L[] = []): GaugeMetric<L> {
    const g = this.existing<client.Gauge<L>>(name) ?? new client.Gauge({ name, help, labelNames, registers: [this.registry] });
    return {
      set: (labels, value) => g.set(labels, value),
      inc: (labels = {}, value = 1) => g.inc(labels, value),
      dec: (labels = {}, value = 1) => g.dec(labels, value),
    };
  }

  histogram<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[] = [],
    buckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  ): HistogramMetric<L> {
    const h =
      this.existing<client.Histogram<L>>(name) ?? new client.Histogram({ name, help, labelNames, buckets, registers: [this.registry] });
    return { observe: (labels, value) => h.observe(labels, value) };
  }

  /** The Prometheus text exposition for `/metrics`. */
  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private existing<T>(name: string): T | undefined {
    return this.registry.getSingleMetric(name) as T | undefined;
  }
}
