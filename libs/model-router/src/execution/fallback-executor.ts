import { ProviderError } from '@weaver/models';
import { BreakerOpenError, retry } from '@weaver/resilience';
import type { Logger } from '@weaver/observability';
import type { CatalogModel, ModelCatalog } from '../catalog/model-catalog';
import type { EndpointStats } from '../routing/endpoint-stats';
import type { ModelFleet } from './model-fleet';
import type { RouterMetrics } from '../router-metrics';

export interface Attempt<T> {
  value: T;
  model: CatalogModel;
  attempts: number;
  latencyMs: number;
}

/** Errors after which the next model in the chain is tried; anything else is the caller's to fix. */
export function shouldFallBack(err: unknown): boolean {
  if (err instanceof BreakerOpenError) return true;
  if (err instanceof ProviderError) return err.kind !== 'bad-request' && err.kind !== 'unsupported';
  return true;
}

/**
 * Runs a call along a route: on each model, retries (full-jitter backoff, honouring a short
 * Retry-After) inside that endpoint's breaker; on a rate limit with a long Retry-After, a
 * timeout, an outage, an open breaker or a context overflow, moves to the next model.
 */
export class FallbackExecutor {
  constructor(
    private readonly fleet: ModelFleet,
    private readonly stats: EndpointStats,
    private readonly metrics: RouterMetrics,
    private readonly logger: Logger,
  ) {}

  async run<T>(catalog: ModelCatalog, chain: CatalogModel[], call: (m: CatalogModel, signal: AbortSignal) => Promise<T>): Promise<Attempt<T>> {
    const r = catalog.file.defaults.retry;
    let lastError: unknown;
    for (const [i, model] of chain.entries()) {
      const breaker = this.fleet.breakerOf(model);
      let attempts = 0;
      const started = performance.now();
      try {
        const value = await retry(
          () => {
            attempts++;
            return breaker.run(async () => {
              const done = this.stats.begin(model.name);
              const t0 = performance.now();
              try {
                const out = await call(model, AbortSignal.timeout(model.timeoutMs));
                this.stats.observeLatency(model.name, performance.now() - t0);
                return out;
              } finally {
                done();
              }
            });
          },
          {
            attempts: r.attempts,
            baseMs: r.base_ms,
            maxMs: r.max_ms,
            // A short Retry-After is worth waiting for; a long one means "go elsewhere".
            retryIf: (err) => err instanceof ProviderError && err.retriable && (err.retryAfterMs ?? 0) <= r.max_retry_after_ms,
            retryAfterMs: (err) => (err instanceof ProviderError ? err.retryAfterMs : undefined),
            onRetry: (err) => this.metrics.retries.inc({ model: model.name, kind: err instanceof ProviderError ? err.kind : 'other' }),
          },
        );
        return { value, model, attempts, latencyMs: performance.now() - started };
      } catch (err) {
        lastError = err;
        const kind = err instanceof ProviderError ? err.kind : err instanceof BreakerOpenError ? 'breaker-open' : 'other';
        this.metrics.errors.inc({ model: model.name, kind });
        if (err instanceof ProviderError && err.kind === 'rate-limit' && err.retryAfterMs) this.stats.coolDown(model.name, err.retryAfterMs);
        const next = chain[i + 1];
        if (!next || !shouldFallBack(err)) throw err;
        this.metrics.fallbacks.inc({ from: model.name, to: next.name, reason: kind });
        this.logger.warn({ from: model.name, to: next.name, reason: kind, err: (err as Error).message }, 'model call failed; falling back');
      }
    }
    throw lastError;
  }
}
