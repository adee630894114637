import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '@weaver/persistence';

/**
 * The audit trail: a per-tenant hash-chained log and its signed Merkle checkpoints. Append-only
 * twice over: the services get INSERT and SELECT only (SERVICE_GRANTS), and a trigger refuses
 * UPDATE, DELETE and TRUNCATE to everyone, the owner included, unless the trigger itself is
 * dropped or disabled (DDL, which shows in the server log and is what a tamper test simulates).
 */
export class CreateAudit1767000000000 implements MigrationInterface {
  name = 'CreateAudit1767000000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`
      CREATE TABLE audit.entries (
        tenant_id uuid NOT NULL,
        seq bigint NOT NULL CHECK (seq >= 0),
        event_id text NOT NULL CHECK (length(event_id) BETWEEN 1 AND 300),
        at timestamptz NOT NULL,
        action text NOT NULL,
        entry text NOT NULL,
        leaf_hash bytea NOT NULL CHECK (length(leaf_hash) = 32),
        chain_hash bytea NOT NULL CHECK (length(chain_hash) = 32),
        chained_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, seq),
        UNIQUE (tenant_id, event_id)
      )`);
    await qr.query('CREATE INDEX entries_tenant_at_idx ON audit.entries (tenant_id, at)');
    await qr.query(`
      CREATE TABLE audit.checkpoints (
        tenant_id uuid NOT NULL,
        tree_size bigint NOT NULL CHECK (tree_size > 0),
        root_hash bytea NOT NULL CHECK (length(root_hash) = 32),
        chain_hash bytea NOT NULL CHECK (length(chain_hash) = 32),
        frontier bytea[] NOT NULL,
        signed_at timestamptz NOT NULL,
        key_id text NOT NULL,
        signature bytea NOT NULL,
        PRIMARY KEY (tenant_id, tree_size)
      )`);
    await qr.query(`
      CREATE FUNCTION audit.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit.% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    for (const table of ['entries', 'checkpoints']) {
      await qr.query(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON audit.${table} FOR EACH ROW EXECUTE FUNCTION audit.refuse_change()`);
      await qr.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON audit.${table} FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change()`);
      await enableTenantRls(qr, `audit.${table}`);
    }
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query('DROP TABLE audit.checkpoints');
    await qr.query('DROP TABLE audit.entries');
    await qr.query('DROP FUNCTION audit.refuse_change()');
  }
}
