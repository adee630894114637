/**
 * @weaver/resilience — circuit breakers and retries, the same way everywhere.
 *
 * `createBreaker(name, options, metrics)` guards one dependency (the router keeps one per
 * provider endpoint); its closed/half-open/open state is typed and exported to the
 * `weaver_circuit_breaker_state` gauge. `retry(fn, options)` retries retriable errors with
 * full-jitter exponential backoff and honours a server's Retry-After. This is the only library
 * that imports opossum.
 */
export * from './breaker-state';
export * from './breaker-open.error';
export * from './circuit-breaker';
export * from './retry';
export * from './coalescer';
export * from './token-bucket';
export * from './failure-throttle';
export * from './loading-cache';
