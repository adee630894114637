import type { tenancy } from '@weaver/contracts';
import { z } from '@weaver/config';
import { unary } from './grpc-client';
import { tenantMetadata } from './grpc-tenant';

/** A tenant's effective quotas as tenancy's GetQuotas answers them (defaults filled in). */
export type TenantQuotas = tenancy.Quotas;

/** How long a service uses a tenant's quotas before asking tenancy again (gateway, router, publisher). */
export const quotaCacheTtlMs = z.coerce.number().int().min(0).max(300_000).default(5_000);

/**
 * Tenants' quotas from tenancy, kept `ttlMs` in this process: the gateway's intake, the router's
 * billing and the publisher's puts ask on every call, tenancy is asked once per tenant per TTL
 * (concurrent misses share one call). An admin change is seen by every replica within the TTL
 * (the replica that made it at once, `forget`). A failed lookup is not cached: the caller fails
 * (closed) and its retry asks again. Bounded: the oldest entry goes past `maxEntries`.
 */
export class QuotaCache {
  private readonly entries = new Map<string, { quota: Promise<TenantQuotas>; until: number }>();

  constructor(
    private readonly client: Pick<tenancy.TenancyServiceClient, 'getQuotas'>,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxEntries = 10_000,
  ) {}

  readonly get = (tenantId: string): Promise<TenantQuotas> => {
    const hit = this.entries.get(tenantId);
    if (hit && hit.until > this.now()) return hit.quota;
    const quota = unary(this.client.getQuotas({ tenantId }, tenantMetadata(tenantId))).then((r) => r.quotas!);
    this.entries.delete(tenantId);
    // Map iteration order is insertion order: the first key is the oldest entry.
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    const entry = { quota, until: this.now() + this.ttlMs };
    this.entries.set(tenantId, entry);
    quota.catch(() => {
      if (this.entries.get(tenantId) === entry) this.entries.delete(tenantId);
    });
    return quota;
  };

  forget(tenantId: string): void {
    this.entries.delete(tenantId);
  }
}
