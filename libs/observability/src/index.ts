/**
 * @weaver/observability — structured logs (pino), Prometheus metrics (prom-client) and
 * OpenTelemetry traces.
 *
 * `createLogger(service)` for logs; `new Metrics(service)` for a per-process registry whose
 * `text()` serves `/metrics`. Only this library imports prom-client. `startTracing(service,
 * loadTracingConfig())` first thing in a main (off without OTEL_EXPORTER_OTLP_ENDPOINT);
 * `inSpan`, `withTraceHeaders`/`extractTraceContext` (W3C trace context on Kafka records) and
 * the `WeaverAttr`/`GenAiAttr` attribute names for the rest of Weaver (docs/observability.md).
 */
export * from './logger';
export { redactSecrets, redactValue, REDACTED, type TextMasker } from './log-redaction';
export * from './metrics';
export * from './metric-labels';
export * from './tracing';
