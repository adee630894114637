import type { DataSource } from 'typeorm';
import { ValidationError } from '@weaver/errors';
import { withSettings, withTenant } from '@weaver/persistence';
import { assertRegion } from './region';

interface EntryRow {
  tenant_id: string;
  name: string;
  tier: string;
  home_region: string;
  serving_epoch: number;
  created_at: Date;
}

interface KeyRow {
  key_hash: string;
  key_id: string;
  name: string;
  prefix: string;
  roles: string[];
  revoked: boolean;
}

/**
 * The standby's half of a failover (`weaver region failover --from A`, docs/regions.md): every
 * tenant homed in `fromRegion` that `fromRegion` still serves is adopted by this region —
 * a local tenants row (home unchanged, served_by = here, epoch + 1) and its API keys from the
 * replicated hashes — and leaves region_directory. From then on this region accepts the
 * tenant's requests. Publishing the adopted tenants (DirectoryPublisher) tells the failed region
 * when it comes back. Returns the adopted tenant ids. Idempotent: a second run adopts nothing.
 */
export async function adoptTenantsOf(ds: DataSource, fromRegion: string, localRegion: string): Promise<string[]> {
  assertRegion(fromRegion, 'fromRegion');
  if (fromRegion === localRegion) throw new ValidationError([{ field: 'fromRegion', rule: `must not be this region ("${localRegion}")` }]);
  const ids = (await withSettings(ds, { 'weaver.home_region': fromRegion }, (em) =>
    em.query('SELECT tenant_id FROM tenancy.region_directory WHERE home_region = $1 AND served_by = $1 ORDER BY tenant_id', [fromRegion]),
  )) as { tenant_id: string }[];
  const adopted: string[] = [];
  for (const { tenant_id: tenantId } of ids) {
    await withTenant(ds, tenantId, async (em) => {
      const [entry] = (await em.query('SELECT tenant_id, name, tier, home_region, serving_epoch, created_at FROM tenancy.region_directory WHERE tenant_id = $1', [tenantId])) as EntryRow[];
      if (!entry) return;
      const keys = (await em.query('SELECT key_hash, key_id, name, prefix, roles, revoked FROM tenancy.region_directory_keys WHERE tenant_id = $1', [tenantId])) as KeyRow[];
      await em.query('INSERT INTO tenancy.tenants (id, name, tier, created_at, home_region, served_by, serving_epoch) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
        tenantId, entry.name, entry.tier, entry.created_at, entry.home_region, localRegion, entry.serving_epoch + 1,
      ]);
      for (const k of keys) {
        await em.query('INSERT INTO tenancy.api_keys (id, tenant_id, name, key_hash, prefix, roles, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, now(), $7)', [
          k.key_id, tenantId, k.name, k.key_hash, k.prefix, k.roles, k.revoked ? new Date() : null,
        ]);
      }
      await em.query('DELETE FROM tenancy.region_directory WHERE tenant_id = $1', [tenantId]);
    });
    adopted.push(tenantId);
  }
  return adopted;
}

/**
 * The whole failover on the standby: adopt, then publish each adopted tenant (served_by = here,
 * epoch + 1) so the failed region, once back and mirrored again, refuses them instead of
 * serving them twice. Returns the adopted tenant ids.
 */
export async function failoverRegion(ds: DataSource, publisher: { publish(tenantId: string): Promise<unknown> }, fromRegion: string, localRegion: string): Promise<string[]> {
  const adopted = await adoptTenantsOf(ds, fromRegion, localRegion);
  for (const tenantId of adopted) await publisher.publish(tenantId);
  return adopted;
}
