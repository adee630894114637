import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The intake's concurrent-runs check counts a tenant's pending and running runs (at most up to
 * its limit, `TriggerOutbox.recordRun`); this partial index makes that an index scan over the
 * active runs only.
 */
export class IndexActiveRuns1732910000000 implements MigrationInterface {
  name = 'IndexActiveRuns1732910000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX runs_active_idx ON runs.runs (tenant_id) WHERE status IN ('pending', 'running')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX runs.runs_active_idx');
  }
}
