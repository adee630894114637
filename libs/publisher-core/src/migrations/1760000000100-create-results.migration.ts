import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '@weaver/persistence';

/** publisher.results under row-level security; the primary key makes puts idempotent. */
export class CreateResults1760000000100 implements MigrationInterface {
  name = 'CreateResults1760000000100';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`
      CREATE TABLE publisher.results (
        tenant_id uuid NOT NULL,
        run_id text NOT NULL,
        step text NOT NULL,
        uri text NOT NULL,
        content_type text NOT NULL,
        size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
        sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        classification text[] NOT NULL DEFAULT '{}',
        store text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, run_id, step)
      )`);
    await enableTenantRls(qr, 'publisher.results');
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query('DROP TABLE publisher.results');
  }
}
