import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '@weaver/persistence';

/** Runs and their steps. One row per (tenant, run, step) is what makes a step's result unique. */
export class CreateRuns1732500000000 implements MigrationInterface {
  name = 'CreateRuns1732500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE runs.runs (
        tenant_id uuid NOT NULL,
        run_id uuid NOT NULL,
        workflow text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending','running','completed','failed')),
        input jsonb NOT NULL,
        result jsonb,
        result_uri text,
        error text,
        failed_step text,
        classification text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, run_id)
      )`);
    await q.query(`CREATE INDEX runs_created_idx ON runs.runs (tenant_id, created_at DESC)`);
    await q.query(`
      CREATE TABLE runs.steps (
        tenant_id uuid NOT NULL,
        run_id uuid NOT NULL,
        step text NOT NULL,
        agent text NOT NULL,
        status text NOT NULL CHECK (status IN ('completed','failed','skipped')),
        attempt int NOT NULL,
        input_event_id text NOT NULL,
        output jsonb,
        error text,
        started_at timestamptz NOT NULL,
        finished_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, run_id, step)
      )`);
    await enableTenantRls(q, 'runs.runs');
    await enableTenantRls(q, 'runs.steps');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE runs.steps');
    await q.query('DROP TABLE runs.runs');
  }
}
