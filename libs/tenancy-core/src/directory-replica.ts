import type { DataSource, EntityManager } from 'typeorm';
import { withTenant } from '@weaver/persistence';
import type { DirectoryRecord } from './directory-record';

export type ReplicaOutcome = 'directory-updated' | 'stale-ignored' | 'serving-moved' | 'local-ignored';

/**
 * Applies directory records replicated from other regions (`<region>.weaver.directory.v1`, via
 * MirrorMaker 2) to this region's tables. Idempotent and order-tolerant (serving epochs), so a
 * consumer may read the compacted topics from the beginning at any time.
 *
 * | record's tenant here        | record epoch vs ours | effect                                     |
 * | --------------------------- | -------------------- | ------------------------------------------ |
 * | none, or in region_directory | ≥                    | region_directory (+ key hashes) replaced   |
 * | in region_directory          | <                    | ignored (an older serving state)           |
 * | local row (homed/adopted)    | >                    | served_by/epoch taken (a failover notice)  |
 * | local row                    | ≤                    | ignored (our own state is newer)           |
 */
export class DirectoryReplica {
  constructor(private readonly ds: DataSource) {}

  apply(record: DirectoryRecord): Promise<ReplicaOutcome> {
    return withTenant(this.ds, record.tenantId, async (em) => {
      const [local] = (await em.query('SELECT serving_epoch FROM tenancy.tenants WHERE id = $1', [record.tenantId])) as { serving_epoch: number }[];
      if (local) {
        if (record.servingEpoch <= local.serving_epoch) return 'local-ignored';
        await em.query('UPDATE tenancy.tenants SET served_by = $2, serving_epoch = $3 WHERE id = $1', [record.tenantId, record.servedBy, record.servingEpoch]);
        return 'serving-moved';
      }
      return (await upsertEntry(em, record)) ? 'directory-updated' : 'stale-ignored';
    });
  }
}

async function upsertEntry(em: EntityManager, r: DirectoryRecord): Promise<boolean> {
  const rows = (await em.query(
    `INSERT INTO tenancy.region_directory (tenant_id, name, tier, home_region, served_by, serving_epoch, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, now())
     ON CONFLICT (tenant_id) DO UPDATE SET name = EXCLUDED.name, tier = EXCLUDED.tier, home_region = EXCLUDED.home_region,
       served_by = EXCLUDED.served_by, serving_epoch = EXCLUDED.serving_epoch, updated_at = now()
     WHERE tenancy.region_directory.serving_epoch <= EXCLUDED.serving_epoch
     RETURNING tenant_id`,
    [r.tenantId, r.name, r.tier, r.homeRegion, r.servedBy, r.servingEpoch, r.createdAt],
  )) as unknown[];
  if (rows.length === 0) return false;
  await em.query('DELETE FROM tenancy.region_directory_keys WHERE tenant_id = $1', [r.tenantId]);
  for (const k of r.keys) {
    await em.query(
      'INSERT INTO tenancy.region_directory_keys (key_hash, tenant_id, key_id, name, prefix, roles, revoked) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [k.keyHash, r.tenantId, k.keyId, k.name, k.prefix, k.roles, k.revoked],
    );
  }
  return true;
}
