import type { MigrationInterface, QueryRunner } from 'typeorm';

const TABLES = ['runs.memory_short_term', 'runs.memory_long_term', 'runs.memory_episodic', 'runs.memory_semantic'];

/**
 * Every memory item keeps the classification of the step that wrote it (issue 10: a derived
 * item is at least as classified as its inputs), and a step that reads it is raised to it.
 * Rows from before carry `internal`, the level of unlabelled data. Plaintext like the run's
 * labels: decisions are taken on it without opening anything.
 */
export class MemoryClassification1733200000000 implements MigrationInterface {
  name = 'MemoryClassification1733200000000';

  async up(q: QueryRunner): Promise<void> {
    for (const t of TABLES) await q.query(`ALTER TABLE ${t} ADD COLUMN classification text[] NOT NULL DEFAULT '{internal}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of TABLES) await q.query(`ALTER TABLE ${t} DROP COLUMN classification`);
  }
}
