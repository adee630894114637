import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '@weaver/persistence';

/**
 * Checkpoints other regions signed for their tenants, as MirrorMaker 2 brought them
 * (docs/regions.md): the evidence a lost or tampered region's log is checked against. Append-only
 * like the rest of schema audit (the same trigger), RLS by tenant; the signed fields are kept
 * byte for byte with the signer's public key, so each row can be re-verified offline.
 */
export class CreateRemoteCheckpoints1767100000000 implements MigrationInterface {
  name = 'CreateRemoteCheckpoints1767100000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`
      CREATE TABLE audit.remote_checkpoints (
        region text NOT NULL CHECK (region ~ '^[a-z][a-z0-9-]{0,31}$'),
        tenant_id uuid NOT NULL,
        tree_size bigint NOT NULL CHECK (tree_size > 0),
        root_hash bytea NOT NULL CHECK (length(root_hash) = 32),
        chain_hash bytea NOT NULL CHECK (length(chain_hash) = 32),
        signed_at timestamptz NOT NULL,
        key_id text NOT NULL,
        public_key bytea NOT NULL CHECK (length(public_key) = 32),
        signature bytea NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (region, tenant_id, tree_size)
      )`);
    await qr.query('CREATE TRIGGER remote_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit.remote_checkpoints FOR EACH ROW EXECUTE FUNCTION audit.refuse_change()');
    await qr.query('CREATE TRIGGER remote_checkpoints_no_truncate BEFORE TRUNCATE ON audit.remote_checkpoints FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change()');
    await enableTenantRls(qr, 'audit.remote_checkpoints');
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query('DROP TABLE audit.remote_checkpoints');
  }
}
