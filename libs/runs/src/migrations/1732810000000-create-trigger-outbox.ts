import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls, settingExpression } from '@weaver/persistence';

/**
 * The gateway's trigger outbox: one row per recorded run whose `run.requested` trigger is not
 * yet known to be on Kafka (see `trigger-outbox-state.ts`). The row carries ids, a lease and
 * the last send error — no run content, which stays in `runs.runs` under tenant RLS.
 *
 * Besides the usual tenant policy, a second policy lets a transaction that set
 * `weaver.trigger_relay = on` see and settle every tenant's rows: the relay has to find the
 * unsent triggers of all tenants without knowing them (the same narrow kind of exception as
 * `tenancy.api_keys`' key-resolution policy). It then reads each run under `withTenant`.
 */
export class CreateTriggerOutbox1732810000000 implements MigrationInterface {
  name = 'CreateTriggerOutbox1732810000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE runs.trigger_outbox (
        tenant_id uuid NOT NULL,
        run_id uuid NOT NULL,
        state text NOT NULL CHECK (state IN ('sending','waiting')),
        due_at timestamptz NOT NULL,
        attempts int NOT NULL DEFAULT 1,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, run_id),
        FOREIGN KEY (tenant_id, run_id) REFERENCES runs.runs (tenant_id, run_id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX trigger_outbox_due_idx ON runs.trigger_outbox (due_at)`);
    await enableTenantRls(q, 'runs.trigger_outbox');
    const relay = `${settingExpression('weaver.trigger_relay')} = 'on'`; // TRIGGER_RELAY_SETTING, as of this migration
    await q.query(`CREATE POLICY trigger_relay ON runs.trigger_outbox USING (${relay}) WITH CHECK (${relay})`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP POLICY IF EXISTS trigger_relay ON runs.trigger_outbox');
    await disableTenantRls(q, 'runs.trigger_outbox');
    await q.query('DROP TABLE runs.trigger_outbox');
  }
}
