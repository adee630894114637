import type { Metrics } from '@weaver/observability';
import type { MemoryKind, MemoryUsage } from '@weaver/runs';

/**
 * Memory metrics, updated from what the write path and the sweep already return (no query of
 * their own): usage per tenant, agent and kind as of the last write or sweep this process saw,
 * evictions and expirations as counters. Each replica reports what it saw; take the max per
 * series across replicas for the current use.
 */
export class MemoryMetrics {
  private readonly items;
  private readonly bytes;
  private readonly evictions;
  private readonly expired;
  private readonly loaded;

  constructor(metrics: Metrics) {
    this.items = metrics.gauge('weaver_memory_items', 'Agent memory items per tenant, agent and kind (as of the last write or sweep seen)', ['tenant', 'agent', 'kind']);
    this.bytes = metrics.gauge('weaver_memory_bytes', 'Agent memory bytes counted against the limits, per tenant, agent and kind', ['tenant', 'agent', 'kind']);
    this.evictions = metrics.counter('weaver_memory_evictions_total', 'Memory items evicted to stay within a limit', ['tenant', 'agent', 'kind']);
    this.expired = metrics.counter('weaver_memory_expired_total', 'Expired memory items deleted by the sweep', ['tenant', 'agent', 'kind']);
    this.loaded = metrics.gauge('weaver_memory_indexes_loaded', 'Vector indexes loaded in this runner');
  }

  usage(tenant: string, rows: readonly MemoryUsage[]): void {
    for (const r of rows) {
      this.items.set({ tenant, agent: r.agent, kind: r.kind }, r.items);
      this.bytes.set({ tenant, agent: r.agent, kind: r.kind }, r.bytes);
    }
  }

  evicted(tenant: string, agent: string, kind: MemoryKind, items: number): void {
    this.evictions.inc({ tenant, agent, kind }, items);
  }

  expiredItems(tenant: string, agent: string, kind: MemoryKind, items: number): void {
    this.expired.inc({ tenant, agent, kind }, items);
  }

  indexesLoaded(n: number): void {
    this.loaded.set({}, n);
  }
}
