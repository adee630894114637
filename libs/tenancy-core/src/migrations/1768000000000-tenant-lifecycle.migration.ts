import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls, settingExpression } from '@weaver/persistence';

/**
 * The admin API's tenant lifecycle (issue 12): tenants.state (TENANT_TRANSITIONS), the tenant
 * list, and tenant_erasures — a deletion request and, once the erasure step ran, its report.
 * tenant_erasures names the tenant in `tenant`, not `tenant_id`, on purpose: erasure deletes
 * every table with a `tenant_id` column (libs/privacy tenantTables), and this record of the
 * erasure (ids, times, row counts: no tenant content) must outlive it, as the audit trail does.
 */
export class TenantLifecycle1768000000000 implements MigrationInterface {
  name = 'TenantLifecycle1768000000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`ALTER TABLE tenancy.tenants
      ADD COLUMN state text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'suspended', 'deleting')),
      ADD COLUMN state_changed_at timestamptz`);
    await qr.query('CREATE INDEX tenants_listing_idx ON tenancy.tenants (created_at, id)');
    // Platform admins list tenants before they know their ids: only with this setting, which only
    // TenantLifecycle.list sets (the tenancy role, for ListTenants: admin callers only).
    await qr.query(`CREATE POLICY tenant_listing ON tenancy.tenants FOR SELECT USING (${settingExpression('weaver.tenant_listing')} = 'on')`);
    await qr.query(`
      CREATE TABLE tenancy.tenant_erasures (
        tenant uuid PRIMARY KEY,
        requested_at timestamptz NOT NULL DEFAULT now(),
        requested_by text NOT NULL CHECK (length(requested_by) BETWEEN 1 AND 200),
        erased_at timestamptz,
        report jsonb
      )`);
    await qr.query('CREATE INDEX tenant_erasures_pending_idx ON tenancy.tenant_erasures (requested_at) WHERE erased_at IS NULL');
    await enableTenantRls(qr, 'tenancy.tenant_erasures', { column: 'tenant' });
    // The erasure step (owner role, RLS forced) finds pending requests before it knows their tenants.
    await qr.query(`CREATE POLICY erasure_queue ON tenancy.tenant_erasures FOR SELECT USING (${settingExpression('weaver.erasure_queue')} = 'on')`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query('DROP TABLE tenancy.tenant_erasures');
    await qr.query('DROP POLICY tenant_listing ON tenancy.tenants');
    await qr.query('DROP INDEX tenancy.tenants_listing_idx');
    await qr.query('ALTER TABLE tenancy.tenants DROP COLUMN state, DROP COLUMN state_changed_at');
  }
}
