import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '@weaver/persistence';

/**
 * Bytes of stored results per tenant (the `stored_bytes` quota, issue 8 §6): one row per tenant,
 * kept in step with publisher.results by the put that claims a result (same transaction) and by
 * erasure (a tenant's row is deleted with its data; a subject's erasure subtracts its results).
 * Existing results are counted once here.
 */
export class CreateTenantUsage1760000000101 implements MigrationInterface {
  name = 'CreateTenantUsage1760000000101';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`
      CREATE TABLE publisher.tenant_usage (
        tenant_id uuid PRIMARY KEY,
        stored_bytes bigint NOT NULL DEFAULT 0 CHECK (stored_bytes >= 0),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Count what is already stored, before RLS is on here; the owner lifts FORCE on results for
    // this one statement of the migration's transaction (RLS would show it no tenant's rows).
    await qr.query('ALTER TABLE publisher.results NO FORCE ROW LEVEL SECURITY');
    await qr.query('INSERT INTO publisher.tenant_usage (tenant_id, stored_bytes) SELECT tenant_id, sum(size_bytes) FROM publisher.results GROUP BY tenant_id');
    await qr.query('ALTER TABLE publisher.results FORCE ROW LEVEL SECURITY');
    await enableTenantRls(qr, 'publisher.tenant_usage');
  }

  async down(qr: QueryRunner): Promise<void> {
    await disableTenantRls(qr, 'publisher.tenant_usage');
    await qr.query('DROP TABLE publisher.tenant_usage');
  }
}
