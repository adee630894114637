import { ConnectionPools, createAdapter, ProviderError, type ModelAdapter } from '@weaver/models';
import type { Metrics } from '@weaver/observability';
import { createBreaker, type Breaker } from '@weaver/resilience';
import type { CatalogModel, ModelCatalog } from '../catalog/model-catalog';

/** A caller's mistake, not the endpoint's: it must not trip the endpoint's breaker. */
export const isCallerError = (err: unknown): boolean =>
  err instanceof ProviderError && (err.kind === 'bad-request' || err.kind === 'context-overflow' || err.kind === 'unsupported');

/**
 * The live adapters for a catalogue, with one circuit breaker and one keep-alive pool per provider
 * endpoint (models served by the same endpoint share both). Rebuilt when models.yaml changes;
 * breakers and pools for endpoints that still exist are kept, so a reload does not reset them.
 */
export class ModelFleet {
  private adapters = new Map<string, ModelAdapter>();
  private readonly breakers = new Map<string, Breaker>();

  constructor(
    private readonly pools: ConnectionPools,
    private readonly metrics?: Metrics,
  ) {}

  load(catalog: ModelCatalog): void {
    const next = new Map<string, ModelAdapter>();
    const b = catalog.file.defaults.breaker;
    for (const m of catalog.models.values()) {
      if (!m.available) continue;
      try {
        next.set(
          m.name,
          createAdapter(
            { name: m.name, provider: m.provider, model: m.providerModel, endpoint: m.endpoint, apiKey: m.apiKey, capabilities: m.capabilities, timeoutMs: m.timeoutMs, options: m.config.options },
            { fetch: m.endpoint ? this.pools.fetchFor(m.endpoint, { connections: m.config.pool?.connections, keepAliveMs: m.config.pool?.keep_alive_ms }) : fetch },
          ),
        );
      } catch (err) {
        // An SDK that refuses to start (no credential found: the plan's gpt-4 names no
        // api_key_env and OPENAI_API_KEY is unset) skips the model with the reason, like an unset key variable.
        m.available = false;
        m.unavailableReason = `adapter could not start: ${err instanceof Error ? err.message : String(err)}`;
        continue;
      }
      if (!this.breakers.has(m.endpointKey)) {
        this.breakers.set(
          m.endpointKey,
          createBreaker(
            m.endpointKey,
            { errorThresholdPercentage: b.error_threshold_percentage, resetTimeoutMs: b.reset_timeout_ms, volumeThreshold: b.volume_threshold, rollingWindowMs: b.rolling_window_ms, isCallerError },
            this.metrics,
          ),
        );
      }
    }
    this.adapters = next;
  }

  adapterOf(m: CatalogModel): ModelAdapter {
    const a = this.adapters.get(m.name);
    if (!a) throw new ProviderError('unavailable', m.provider, `model ${m.name} is not loaded`);
    return a;
  }

  breakerOf(m: CatalogModel): Breaker {
    const b = this.breakers.get(m.endpointKey);
    if (!b) throw new ProviderError('unavailable', m.provider, `no breaker for ${m.endpointKey}`);
    return b;
  }

  breakerStates(): Record<string, string> {
    return Object.fromEntries([...this.breakers].map(([k, b]) => [k, b.state]));
  }

  async close(): Promise<void> {
    for (const b of this.breakers.values()) b.shutdown();
    await this.pools.close();
  }
}
