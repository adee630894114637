import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '@weaver/persistence';

/** tenancy.tenant_quotas: a tenant's own limits; NULL = the installation's default (config). */
export class CreateTenantQuotas1760000000001 implements MigrationInterface {
  name = 'CreateTenantQuotas1760000000001';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`
      CREATE TABLE tenancy.tenant_quotas (
        tenant_id uuid PRIMARY KEY REFERENCES tenancy.tenants (id) ON DELETE CASCADE,
        runs_per_second double precision CHECK (runs_per_second >= 0),
        run_burst integer CHECK (run_burst >= 1),
        concurrent_runs integer CHECK (concurrent_runs >= 0),
        tokens_per_day bigint CHECK (tokens_per_day >= 0),
        stored_bytes bigint CHECK (stored_bytes >= 0),
        budget_usd numeric(20,9) CHECK (budget_usd >= 0),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await enableTenantRls(qr, 'tenancy.tenant_quotas');
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query('DROP TABLE tenancy.tenant_quotas');
  }
}
