import type { tenancy } from '@weaver/contracts';
import { z } from '@weaver/config';
import { LoadingCache } from '@weaver/resilience';
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
  private readonly cache: LoadingCache<TenantQuotas>;

  constructor(client: Pick<tenancy.TenancyServiceClient, 'getQuotas'>, ttlMs: number, now: () => number = Date.now, maxEntries = 10_000) {
    this.cache = new LoadingCache((tenantId) => unary(client.getQuotas({ tenantId }, tenantMetadata(tenantId))).then((r) => r.quotas!), ttlMs, maxEntries, now);
  }

  readonly get = (tenantId: string): Promise<TenantQuotas> => this.cache.get(tenantId);

  forget(tenantId: string): void {
    this.cache.forget(tenantId);
  }
}
