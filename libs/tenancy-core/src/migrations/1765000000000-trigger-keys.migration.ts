import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '@weaver/persistence';

/** trigger_keys: the public keys tenants sign their `kafka:` triggers with (issue 8), under row-level security. */
export class TriggerKeys1765000000000 implements MigrationInterface {
  name = 'TriggerKeys1765000000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`
      CREATE TABLE tenancy.trigger_keys (
        tenant_id uuid NOT NULL REFERENCES tenancy.tenants (id) ON DELETE CASCADE,
        key_id text NOT NULL CHECK (key_id ~ '^[A-Za-z0-9_-]{43}$'),
        public_jwk jsonb NOT NULL CHECK (public_jwk ->> 'kty' = 'OKP' AND public_jwk ->> 'crv' = 'Ed25519' AND NOT public_jwk ? 'd'),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        PRIMARY KEY (tenant_id, key_id)
      )`);
    await enableTenantRls(qr, 'tenancy.trigger_keys');
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query('DROP TABLE tenancy.trigger_keys');
  }
}
