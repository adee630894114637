/**
 * @weaver/observability — structured logs (pino) and Prometheus metrics (prom-client).
 *
 * `createLogger(service)` for logs; `new Metrics(service)` for a per-process registry whose
 * `text()` serves `/metrics`. Only this library imports prom-client.
 */
export * from './logger';
export { redactSecrets, redactValue, REDACTED, type TextMasker } from './log-redaction';
export * from './metrics';
export * from './metric-labels';
