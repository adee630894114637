import { LoadingCache } from '@weaver/resilience';
import type { TenantPlacementTier, TopicNames } from './topics';

/** Looks a tenant's tier up where it is recorded (tenancy); fails for an unknown tenant. */
export type TierLookup = (tenantId: string) => Promise<TenantPlacementTier>;

/**
 * Which topic names a tenant's events use, per tenant, cached: the gateway asks on every
 * intake and the relay on every re-send, so the tier must not cost a tenancy call each time.
 * A tier is chosen when the tenant is created and does not change while it runs (moving a
 * tenant between tiers is a migration, not a toggle), so a long TTL is safe; `remember` lets
 * a caller that already learnt the tier (API-key resolution answers it) skip the lookup.
 * Concurrent misses for one tenant share one lookup (`LoadingCache`).
 */
export class TenantPlacements {
  private readonly tiers: LoadingCache<TenantPlacementTier>;

  constructor(
    readonly base: TopicNames,
    lookup: TierLookup,
    ttlMs = 10 * 60_000,
    maxEntries = 100_000,
    now: () => number = Date.now,
  ) {
    this.tiers = new LoadingCache(lookup, ttlMs, maxEntries, now);
  }

  remember(tenantId: string, tier: TenantPlacementTier): void {
    this.tiers.remember(tenantId, tier);
  }

  tierOf(tenantId: string): Promise<TenantPlacementTier> {
    return this.tiers.get(tenantId);
  }

  async namesFor(tenantId: string): Promise<TopicNames> {
    return this.base.forTenant(tenantId, await this.tierOf(tenantId));
  }
}
