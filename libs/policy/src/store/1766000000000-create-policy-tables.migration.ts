import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '@weaver/persistence';

/**
 * `policy.tenant_policies`: a tenant's Cedar policies (validated against Weaver's schema before
 * they are stored). `policy.tenant_versions`: one counter per tenant, bumped by every change in
 * the change's transaction, so an enforcing service checks "is my copy current?" with one
 * number (GetPolicySet with the version it holds answers `unchanged`).
 */
export class CreatePolicyTables1766000000000 implements MigrationInterface {
  name = 'CreatePolicyTables1766000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE policy.tenant_policies (
        tenant_id uuid NOT NULL,
        policy_id text NOT NULL,
        text text NOT NULL,
        description text NOT NULL DEFAULT '',
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, policy_id)
      )`);
    await enableTenantRls(q, 'policy.tenant_policies');
    await q.query(`
      CREATE TABLE policy.tenant_versions (
        tenant_id uuid PRIMARY KEY,
        version bigint NOT NULL
      )`);
    await enableTenantRls(q, 'policy.tenant_versions');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE policy.tenant_versions');
    await q.query('DROP TABLE policy.tenant_policies');
  }
}
