import type { DataSource } from 'typeorm';
import { withSettings, withTenant } from '@weaver/persistence';
import { TenantInOtherRegionError, servingRegionOf } from './region';

/**
 * The region check of key resolution (docs/regions.md). Runs only on a resolution-cache miss,
 * so a request pays nothing for it on the hot path; a failover therefore takes effect within
 * the resolution TTL (30 s by default) plus the gateway's own key cache.
 */
export class RegionGuard {
  constructor(
    private readonly ds: DataSource,
    readonly region: string,
  ) {}

  /** A key of a local tenant: throws if the tenant has failed over to (or is homed in) another region. */
  async assertServedHere(tenantId: string): Promise<void> {
    const [row] = (await withTenant(this.ds, tenantId, (em) => em.query('SELECT home_region, served_by FROM tenancy.tenants WHERE id = $1', [tenantId]))) as { home_region: string | null; served_by: string | null }[];
    if (!row) return;
    const serving = servingRegionOf({ homeRegion: row.home_region, servedBy: row.served_by }, this.region);
    if (serving !== this.region) throw new TenantInOtherRegionError(tenantId, row.home_region ?? this.region, serving, this.region);
  }

  /** A key unknown here: if the replicated directory knows it, say which region serves its tenant. */
  async refuseIfKnownElsewhere(keyHash: string): Promise<void> {
    const [key] = (await withSettings(this.ds, { 'weaver.api_key_hash': keyHash }, (em) =>
      em.query('SELECT tenant_id, revoked FROM tenancy.region_directory_keys WHERE key_hash = $1', [keyHash]),
    )) as { tenant_id: string; revoked: boolean }[];
    if (!key || key.revoked) return;
    const [entry] = (await withTenant(this.ds, key.tenant_id, (em) => em.query('SELECT home_region, served_by FROM tenancy.region_directory WHERE tenant_id = $1', [key.tenant_id]))) as { home_region: string; served_by: string }[];
    if (entry) throw new TenantInOtherRegionError(key.tenant_id, entry.home_region, entry.served_by, this.region);
  }
}
