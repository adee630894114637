import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '@weaver/persistence';

/**
 * Wrapped data keys, one row per (tenant, subject, version). `subject` is NULL for the tenant's
 * own key; NULLS NOT DISTINCT makes (tenant, NULL, 1) unique too, which the lazy
 * first-writer-wins INSERT ... ON CONFLICT DO NOTHING relies on. A destroyed key keeps its row
 * (so its version is never reused) with the wrapped bytes removed.
 */
export class CreateDataKeys1733000000000 implements MigrationInterface {
  name = 'CreateDataKeys1733000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE keys.data_keys (
        tenant_id uuid NOT NULL,
        subject text NULL,
        version integer NOT NULL CHECK (version > 0),
        wrapped_key bytea NULL,
        kms_key_id text NOT NULL,
        state text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'retired', 'destroyed')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT data_keys_scope_version UNIQUE NULLS NOT DISTINCT (tenant_id, subject, version),
        CONSTRAINT data_keys_destroyed_has_no_key CHECK ((state = 'destroyed') = (wrapped_key IS NULL))
      )`);
    await enableTenantRls(q, 'keys.data_keys');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE keys.data_keys');
  }
}
