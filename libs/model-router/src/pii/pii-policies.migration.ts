import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '@weaver/persistence';

/**
 * Per-tenant PII policies (issue 10 §3): what the router does with each entity type before a
 * tenant's text reaches a provider. `policy` is what the tenant set (`{ "default": "mask",
 * "email": "tokenise" }`, validated by @weaver/pii's parsePiiPolicy on write and read);
 * `version` counts its changes (optimistic updates, and what a router replica reports it
 * applies). A tenant without a row gets the installation default (ROUTER_PII_POLICY).
 */
export class RouterPiiPolicies1760000000003 implements MigrationInterface {
  name = 'RouterPiiPolicies1760000000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE router.pii_policies (
      tenant_id uuid PRIMARY KEY,
      policy jsonb NOT NULL CHECK (jsonb_typeof(policy) = 'object'),
      version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
      updated_at timestamptz NOT NULL DEFAULT now())`);
    await enableTenantRls(q, 'router.pii_policies');
  }

  async down(q: QueryRunner): Promise<void> {
    await disableTenantRls(q, 'router.pii_policies');
    await q.query(`DROP TABLE router.pii_policies`);
  }
}
