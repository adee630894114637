import type { policy } from '@weaver/contracts';
import { z } from '@weaver/config';
import { LoadingCache } from '@weaver/resilience';
import { tenantMetadata, unary } from '@weaver/service-kit';
import { LruMap } from './decision-cache';
import type { PolicySet, PolicySource } from './policy-source';

/** How long an enforcing service uses a tenant's policy set before asking tenancy whether it changed. */
export const policyCacheTtlMs = z.coerce.number().int().min(0).max(300_000).default(5_000);

/**
 * Tenants' policy sets from tenancy's PolicyService, like QuotaCache does for quotas: asked
 * once per tenant per `ttlMs` (concurrent misses share one call), and each ask sends the
 * version held, so an unchanged set costs one small answer (`unchanged`) and no re-parse. A
 * failed ask is not cached (the caller fails closed). Bounded: oldest tenants go first.
 */
export class GrpcPolicySource implements PolicySource {
  private readonly held: LruMap<PolicySet>;
  private readonly cache: LoadingCache<PolicySet>;

  constructor(
    private readonly client: Pick<policy.PolicyServiceClient, 'getPolicySet'>,
    ttlMs: number,
    maxEntries = 10_000,
    now: () => number = Date.now,
  ) {
    this.held = new LruMap(maxEntries);
    this.cache = new LoadingCache((tenantId) => this.load(tenantId), ttlMs, maxEntries, now);
  }

  readonly setOf = (tenantId: string): Promise<PolicySet> => this.cache.get(tenantId);

  /** Drops the tenant's entry (the replica that changed a policy applies it at once). */
  forget(tenantId: string): void {
    this.cache.forget(tenantId);
  }

  private async load(tenantId: string): Promise<PolicySet> {
    const prev = this.held.get(tenantId);
    const res = await unary(this.client.getPolicySet({ tenantId, knownVersion: prev?.version ?? 0 }, tenantMetadata(tenantId)));
    if (res.unchanged) return prev ?? { version: res.version, policies: [] };
    const set: PolicySet = { version: res.version, policies: res.policies.map((p) => ({ id: p.policyId, text: p.text })) };
    this.held.set(tenantId, set);
    return set;
  }
}
