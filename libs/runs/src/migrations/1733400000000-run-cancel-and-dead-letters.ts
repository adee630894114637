import type { MigrationInterface, QueryRunner } from 'typeorm';
import { settingExpression } from '@weaver/persistence';

/**
 * Issue 12 item 2 (runs and dead letters in the admin API):
 * - `cancelled`, a terminal run state (RUN_TRANSITIONS), and `cancel_emitted_by`: the position
 *   (`topic/partition@offset`) of the one cancel record whose transaction emits `run.cancelled`
 *   (write-once, so exactly one such event commits however many cancel records there are).
 * - Keyset pages over (created_at, run_id), per tenant and across tenants (the admin list).
 * - A SELECT-only policy for the admin list: a transaction that set `weaver.runs_admin = on`
 *   reads every tenant's runs (the same narrow kind of exception as the trigger relay's).
 * - `runs.dead_letter_dispositions`: what an operator did with a dead letter (replaying, replayed,
 *   discarded), keyed by its position on its DLQ topic. The letters themselves stay on Kafka (the
 *   truth; nothing is written on the step path); this table holds ids and states, no tenant data,
 *   and is the platform operator's (no tenant RLS: a letter may name no tenant at all).
 */
export class RunCancelAndDeadLetters1733400000000 implements MigrationInterface {
  name = 'RunCancelAndDeadLetters1733400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE runs.runs DROP CONSTRAINT runs_status_check`);
    await q.query(`ALTER TABLE runs.runs ADD CONSTRAINT runs_status_check CHECK (status IN ('pending','running','completed','failed','cancelled'))`);
    await q.query(`ALTER TABLE runs.runs ADD COLUMN cancel_emitted_by text`);
    await q.query(`CREATE INDEX runs_page_idx ON runs.runs (tenant_id, created_at DESC, run_id DESC)`);
    await q.query(`CREATE INDEX runs_all_page_idx ON runs.runs (created_at DESC, run_id DESC)`);
    await q.query(`CREATE POLICY runs_admin_read ON runs.runs FOR SELECT USING (${settingExpression('weaver.runs_admin')} = 'on')`);
    await q.query(`
      CREATE TABLE runs.dead_letter_dispositions (
        dlq_topic text NOT NULL,
        dlq_partition int NOT NULL,
        dlq_offset bigint NOT NULL,
        state text NOT NULL CHECK (state IN ('replaying','replayed','discarded')),
        tenant_id uuid,
        run_id uuid,
        actor text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (dlq_topic, dlq_partition, dlq_offset)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE runs.dead_letter_dispositions');
    await q.query('DROP POLICY runs_admin_read ON runs.runs');
    await q.query('DROP INDEX runs.runs_all_page_idx');
    await q.query('DROP INDEX runs.runs_page_idx');
    await q.query('ALTER TABLE runs.runs DROP COLUMN cancel_emitted_by');
    await q.query(`ALTER TABLE runs.runs DROP CONSTRAINT runs_status_check`);
    await q.query(`ALTER TABLE runs.runs ADD CONSTRAINT runs_status_check CHECK (status IN ('pending','running','completed','failed'))`);
  }
}
