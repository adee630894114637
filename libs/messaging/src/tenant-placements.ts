import type { TenantPlacementTier, TopicNames } from './topics';

/** Looks a tenant's tier up where it is recorded (tenancy); fails for an unknown tenant. */
export type TierLookup = (tenantId: string) => Promise<TenantPlacementTier>;

/**
 * Which topic names a tenant's events use, per tenant, cached: the gateway asks on every
 * intake and the relay on every re-send, so the tier must not cost a tenancy call each time.
 * A tier is chosen when the tenant is created and does not change while it runs (moving a
 * tenant between tiers is a migration, not a toggle), so a long TTL is safe; `remember` lets
 * a caller that already learnt the tier (API-key resolution answers it) skip the lookup.
 * Concurrent misses for one tenant share one lookup.
 */
export class TenantPlacements {
  private readonly known = new Map<string, { tier: TenantPlacementTier; until: number }>();
  private readonly pending = new Map<string, Promise<TenantPlacementTier>>();

  constructor(
    readonly base: TopicNames,
    private readonly lookup: TierLookup,
    private readonly ttlMs = 10 * 60_000,
    private readonly maxEntries = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  remember(tenantId: string, tier: TenantPlacementTier): void {
    this.known.delete(tenantId);
    // Map order is insertion order: the first entry is the oldest.
    if (this.known.size >= this.maxEntries) this.known.delete(this.known.keys().next().value as string);
    this.known.set(tenantId, { tier, until: this.now() + this.ttlMs });
  }

  async tierOf(tenantId: string): Promise<TenantPlacementTier> {
    const hit = this.known.get(tenantId);
    if (hit && hit.until > this.now()) return hit.tier;
    let inFlight = this.pending.get(tenantId);
    if (!inFlight) {
      inFlight = this.lookup(tenantId).then(
        (tier) => {
          this.pending.delete(tenantId);
          this.remember(tenantId, tier);
          return tier;
        },
        (error: unknown) => {
          this.pending.delete(tenantId);
          throw error;
        },
      );
      this.pending.set(tenantId, inFlight);
    }
    return inFlight;
  }

  async namesFor(tenantId: string): Promise<TopicNames> {
    return this.base.forTenant(tenantId, await this.tierOf(tenantId));
  }
}
