/**
 * @weaver/observability-checks — the metric families dashboards and alerts may use, a PromQL
 * reference reader and promtool (Debian's prometheus package), for the specs that check
 * deploy/helm/weaver/files/observability and every service's /metrics.
 */
export * from './metric-families';
export * from './promql-names';
export * from './promtool';
