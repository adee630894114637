import type { DataSource } from 'typeorm';
import { NotFoundError } from '@weaver/errors';
import type { EventProducer } from '@weaver/messaging';
import { withTenant } from '@weaver/persistence';
import { encodeDirectoryRecord, type DirectoryRecord } from './directory-record';

interface TenantRow {
  id: string;
  name: string;
  tier: 'standard' | 'isolated';
  home_region: string | null;
  served_by: string | null;
  serving_epoch: number;
  created_at: Date;
}

interface KeyRow {
  id: string;
  name: string;
  prefix: string;
  key_hash: string;
  roles: string[];
  revoked_at: Date | null;
}

/**
 * Publishes a tenant's directory record to this region's `weaver.directory.v1` whenever the
 * tenant or its keys change (TenantDirectory's `onChange`) and after a failover. MirrorMaker 2
 * carries the topic to the other regions. Costs nothing per step: only tenant and key admin
 * calls publish.
 */
export class DirectoryPublisher {
  constructor(
    private readonly ds: DataSource,
    private readonly producer: EventProducer,
    private readonly topic: string,
    private readonly region: string,
  ) {}

  async publish(tenantId: string): Promise<DirectoryRecord> {
    const record = await withTenant(this.ds, tenantId, async (em) => {
      const [tenant] = (await em.query('SELECT id, name, tier, home_region, served_by, serving_epoch, created_at FROM tenancy.tenants WHERE id = $1', [tenantId])) as TenantRow[];
      if (!tenant) throw new NotFoundError('tenant', tenantId);
      const keys = (await em.query('SELECT id, name, prefix, key_hash, roles, revoked_at FROM tenancy.api_keys WHERE tenant_id = $1 ORDER BY created_at', [tenantId])) as KeyRow[];
      const home = tenant.home_region ?? this.region;
      return {
        v: 1 as const,
        tenantId: tenant.id,
        name: tenant.name,
        tier: tenant.tier,
        homeRegion: home,
        servedBy: tenant.served_by ?? home,
        servingEpoch: tenant.serving_epoch,
        createdAt: tenant.created_at.toISOString(),
        keys: keys.map((k) => ({ keyId: k.id, name: k.name, prefix: k.prefix, keyHash: k.key_hash, roles: k.roles, revoked: k.revoked_at !== null })),
      };
    });
    await this.producer.send([{ topic: this.topic, key: tenantId, value: encodeDirectoryRecord(record), headers: { 'weaver-region': this.region } }]);
    return record;
  }
}
