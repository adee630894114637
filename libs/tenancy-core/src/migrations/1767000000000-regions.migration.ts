import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls, settingExpression } from '@weaver/persistence';

/**
 * Regions (docs/regions.md). tenants.home_region / served_by: where a tenant's data lives and
 * which region answers for it now (NULL = this installation's region: single-region installs and
 * tenants made before regions keep working unchanged); serving_epoch orders failovers.
 * region_directory(_keys): tenants homed in other regions, as replicated over MirrorMaker 2 —
 * name, tier, regions and key hashes only, so this region can name a tenant's home region and
 * take it over on failover; no run data, results or encryption keys.
 */
export class Regions1767000000000 implements MigrationInterface {
  name = 'Regions1767000000000';

  async up(qr: QueryRunner): Promise<void> {
    const region = "CHECK (%s ~ '^[a-z][a-z0-9-]{0,31}$')";
    await qr.query(`ALTER TABLE tenancy.tenants ADD COLUMN home_region text ${region.replace('%s', 'home_region')}, ADD COLUMN served_by text ${region.replace('%s', 'served_by')}, ADD COLUMN serving_epoch integer NOT NULL DEFAULT 0`);
    await qr.query(`
      CREATE TABLE tenancy.region_directory (
        tenant_id uuid PRIMARY KEY,
        name text NOT NULL,
        tier text NOT NULL CHECK (tier IN ('standard', 'isolated')),
        home_region text NOT NULL ${region.replace('%s', 'home_region')},
        served_by text NOT NULL ${region.replace('%s', 'served_by')},
        serving_epoch integer NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await qr.query(`
      CREATE TABLE tenancy.region_directory_keys (
        key_hash text PRIMARY KEY CHECK (key_hash ~ '^[0-9a-f]{64}$'),
        tenant_id uuid NOT NULL REFERENCES tenancy.region_directory (tenant_id) ON DELETE CASCADE,
        key_id uuid NOT NULL,
        name text NOT NULL,
        prefix text NOT NULL,
        roles text[] NOT NULL,
        revoked boolean NOT NULL
      )`);
    await qr.query('CREATE INDEX region_directory_keys_tenant_idx ON tenancy.region_directory_keys (tenant_id)');
    await enableTenantRls(qr, 'tenancy.region_directory');
    await enableTenantRls(qr, 'tenancy.region_directory_keys');
    // As for api_keys: a key is resolved before its tenant is known, by its hash alone.
    await qr.query(`CREATE POLICY region_key_resolution ON tenancy.region_directory_keys FOR SELECT USING (key_hash = ${settingExpression('weaver.api_key_hash')})`);
    // Failover lists the tenants of one home region (and nothing else) before it knows their ids.
    await qr.query(`CREATE POLICY region_failover_scan ON tenancy.region_directory FOR SELECT USING (home_region = ${settingExpression('weaver.home_region')})`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query('DROP TABLE tenancy.region_directory_keys');
    await qr.query('DROP TABLE tenancy.region_directory');
    await qr.query('ALTER TABLE tenancy.tenants DROP COLUMN home_region, DROP COLUMN served_by, DROP COLUMN serving_epoch');
  }
}
