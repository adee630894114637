import type { tenancy } from '@weaver/contracts';
import type { IntakeQuota } from '@weaver/run-api';
import { unary, tenantMetadata } from '@weaver/service-kit';

/**
 * Tenants' quotas from tenancy, kept `ttlMs` in this process: intake asks on every run, tenancy
 * is asked once per tenant per TTL (concurrent misses share one call). An admin change is seen
 * by every replica within the TTL (the replica that made it at once, `forget`).
 */
export class QuotaCache {
  private readonly entries = new Map<string, { quota: Promise<IntakeQuota>; until: number }>();

  constructor(
    private readonly client: tenancy.TenancyServiceClient,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  readonly get = (tenantId: string): Promise<IntakeQuota> => {
    const hit = this.entries.get(tenantId);
    if (hit && hit.until > this.now()) return hit.quota;
    const quota = unary(this.client.getQuotas({ tenantId }, tenantMetadata(tenantId))).then((r) => r.quotas!);
    this.entries.set(tenantId, { quota, until: this.now() + this.ttlMs });
    quota.catch(() => this.entries.delete(tenantId)); // a failed lookup is not cached
    return quota;
  };

  forget(tenantId: string): void {
    this.entries.delete(tenantId);
  }
}
