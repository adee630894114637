import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls, settingExpression } from '@weaver/persistence';

/** tenants + api_keys, both under row-level security. */
export class CreateTenancy1760000000000 implements MigrationInterface {
  name = 'CreateTenancy1760000000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`
      CREATE TABLE tenancy.tenants (
        id uuid PRIMARY KEY,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        tier text NOT NULL CHECK (tier IN ('standard', 'isolated')),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await qr.query(`
      CREATE TABLE tenancy.api_keys (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenancy.tenants (id) ON DELETE CASCADE,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        key_hash text NOT NULL UNIQUE CHECK (key_hash ~ '^[0-9a-f]{64}$'),
        prefix text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
    await qr.query('CREATE INDEX api_keys_tenant_idx ON tenancy.api_keys (tenant_id)');
    await enableTenantRls(qr, 'tenancy.tenants', { column: 'id' });
    await enableTenantRls(qr, 'tenancy.api_keys');
    // Resolving a key happens before anyone knows the tenant: the resolver sets
    // weaver.api_key_hash and may read exactly the row with that hash, no other key, no bypass.
    await qr.query(
      `CREATE POLICY api_key_resolution ON tenancy.api_keys FOR SELECT USING (key_hash = ${settingExpression('weaver.api_key_hash')})`,
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query('DROP TABLE tenancy.api_keys');
    await qr.query('DROP TABLE tenancy.tenants');
  }
}
