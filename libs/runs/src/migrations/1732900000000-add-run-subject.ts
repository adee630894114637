import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The data subject a run is about (issue 8 §7): a tenant may name the person a run concerns, so
 * that person's data can be exported and erased without touching the tenant's other runs.
 * Opaque text chosen by the tenant; NULL when none. Indexed per tenant for erasure/export.
 */
export class AddRunSubject1732900000000 implements MigrationInterface {
  name = 'AddRunSubject1732900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE runs.runs ADD COLUMN subject_id text`);
    await q.query(`CREATE INDEX runs_subject_idx ON runs.runs (tenant_id, subject_id) WHERE subject_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX runs.runs_subject_idx');
    await q.query('ALTER TABLE runs.runs DROP COLUMN subject_id');
  }
}
