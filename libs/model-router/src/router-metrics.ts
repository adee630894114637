import type { CounterMetric, GaugeMetric, HistogramMetric, Metrics } from '@weaver/observability';

type ArmLabels = 'model' | 'experiment' | 'arm';

/**
 * The router's metrics. Per-arm series carry `experiment` and `arm` labels ("" outside an
 * experiment), so an A/B test reads latency, tokens, cost and error rate per arm directly.
 * Tenants are not a label (unbounded cardinality): per-tenant numbers come from the ledger —
 * except the PII counter, asked for per tenant (a tenant's operator checks its own policy is
 * applied); it has series only for tenants whose policy is not all-allow and types actually found.
 */
export class RouterMetrics {
  readonly requests: CounterMetric<ArmLabels | 'outcome'>;
  readonly latency: HistogramMetric<ArmLabels>;
  readonly tokens: CounterMetric<ArmLabels | 'direction'>;
  readonly cost: CounterMetric<ArmLabels>;
  readonly errors: CounterMetric<'model' | 'kind'>;
  readonly retries: CounterMetric<'model' | 'kind'>;
  readonly fallbacks: CounterMetric<'from' | 'to' | 'reason'>;
  readonly cache: CounterMetric<'result'>;
  readonly replays: CounterMetric<never>;
  readonly budgetRejections: CounterMetric<never>;
  readonly catalogReloads: CounterMetric<'result'>;
  readonly catalogModels: GaugeMetric<never>;
  readonly piiEntities: CounterMetric<'tenant' | 'type' | 'action'>;
  readonly piiScanSeconds: HistogramMetric<never>;

  constructor(m: Metrics) {
    const arm = ['model', 'experiment', 'arm'] as const;
    this.requests = m.counter('weaver_router_requests_total', 'Model calls by outcome (ok, error, cached, replayed)', [...arm, 'outcome']);
    this.latency = m.histogram('weaver_router_call_duration_seconds', 'Model call latency including retries', arm);
    this.tokens = m.counter('weaver_router_tokens_total', 'Tokens billed, by direction (input, output)', [...arm, 'direction']);
    this.cost = m.counter('weaver_router_cost_usd_total', 'Cost billed in USD', arm);
    this.errors = m.counter('weaver_router_model_errors_total', 'Failed model attempts by error kind', ['model', 'kind']);
    this.retries = m.counter('weaver_router_retries_total', 'Retries on the same model', ['model', 'kind']);
    this.fallbacks = m.counter('weaver_router_fallbacks_total', 'Fallbacks from one model to the next', ['from', 'to', 'reason']);
    this.cache = m.counter('weaver_router_cache_total', 'Response cache lookups', ['result']);
    this.replays = m.counter('weaver_router_idempotent_replays_total', 'Requests answered from the idempotency record (not billed)');
    this.budgetRejections = m.counter('weaver_router_budget_rejections_total', 'Calls refused because the tenant budget was exhausted');
    this.catalogReloads = m.counter('weaver_router_catalog_reloads_total', 'models.yaml reloads', ['result']);
    this.catalogModels = m.gauge('weaver_router_catalog_models', 'Models in the loaded catalogue');
    this.piiEntities = m.counter('weaver_router_pii_entities_total', 'PII entities found in calls before the provider, by the action the tenant policy took (mask, tokenise, refuse)', ['tenant', 'type', 'action']);
    this.piiScanSeconds = m.histogram('weaver_router_pii_scan_seconds', 'Time to scan and rewrite one call\'s texts under the tenant PII policy', [], [0.00001, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1]);
  }
}
