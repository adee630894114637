import type { CounterMetric, HistogramMetric, Metrics } from '@weaver/observability';

/** The operator's Prometheus metrics (served on /metrics with the process defaults). */
export interface OperatorMetrics {
  /** result: ready | deleted | invalid | waiting | failed */
  reconciles: CounterMetric<'result'>;
  /** reason: the Degraded reason (InvalidSpec, ApplyNotFound, ApplyInvalid, ...) */
  reconcileErrors: CounterMetric<'reason'>;
  reconcileSeconds: HistogramMetric<'result'>;
  /** Watch restarts after an error, per watched kind. */
  watchRestarts: CounterMetric<'kind'>;
}

export function operatorMetrics(metrics: Metrics): OperatorMetrics {
  return {
    reconciles: metrics.counter('weaver_operator_reconciles_total', 'AgentPool reconciles by result', ['result']),
    reconcileErrors: metrics.counter('weaver_operator_reconcile_errors_total', 'AgentPool reconciles that failed or found an invalid spec, by reason', ['reason']),
    reconcileSeconds: metrics.histogram('weaver_operator_reconcile_duration_seconds', 'Time of one AgentPool reconcile', ['result']),
    watchRestarts: metrics.counter('weaver_operator_watch_restarts_total', 'Watches restarted after an error, by kind', ['kind']),
  };
}
