import type { MigrationInterface, QueryRunner } from 'typeorm';
import { disableTenantRls, enableTenantRls } from '@weaver/persistence';

/**
 * Joins: the partial inputs of an agent that requires several event types, one row per
 * (tenant, run, agent); `completed_by_event` names the one event allowed to run the step.
 * Schedule ticks: one row per (tenant, workflow, tick) is what makes a scheduled tick fire once
 * however many replicas run; `produced_at` stays null until the claimant wrote the trigger.
 */
export class CreateJoinsAndScheduleTicks1732600000000 implements MigrationInterface {
  name = 'CreateJoinsAndScheduleTicks1732600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE runs.joins (
        tenant_id uuid NOT NULL,
        run_id uuid NOT NULL,
        agent text NOT NULL,
        required text[] NOT NULL,
        parts jsonb NOT NULL DEFAULT '{}'::jsonb,
        completed_by_event text,
        created_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        PRIMARY KEY (tenant_id, run_id, agent)
      )`);
    await q.query(`
      CREATE TABLE runs.schedule_ticks (
        tenant_id uuid NOT NULL,
        workflow text NOT NULL,
        tick_at timestamptz NOT NULL,
        run_id uuid NOT NULL,
        input jsonb NOT NULL,
        claimed_by text NOT NULL,
        claimed_at timestamptz NOT NULL DEFAULT now(),
        produced_at timestamptz,
        PRIMARY KEY (tenant_id, workflow, tick_at)
      )`);
    await q.query(`CREATE INDEX schedule_ticks_unproduced_idx ON runs.schedule_ticks (tenant_id, claimed_at) WHERE produced_at IS NULL`);
    await enableTenantRls(q, 'runs.joins');
    await enableTenantRls(q, 'runs.schedule_ticks');
  }

  async down(q: QueryRunner): Promise<void> {
    await disableTenantRls(q, 'runs.schedule_ticks');
    await disableTenantRls(q, 'runs.joins');
    await q.query('DROP TABLE runs.schedule_ticks');
    await q.query('DROP TABLE runs.joins');
  }
}
