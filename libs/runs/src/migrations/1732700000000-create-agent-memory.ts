import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '@weaver/persistence';

/** Agents' `this.memory`: key-value per (tenant, scope, agent); scope is a run id or '*' (agent-wide). */
export class CreateAgentMemory1732700000000 implements MigrationInterface {
  name = 'CreateAgentMemory1732700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE runs.agent_memory (
        tenant_id uuid NOT NULL,
        scope text NOT NULL,
        agent text NOT NULL,
        key text NOT NULL,
        value jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, scope, agent, key)
      )`);
    await enableTenantRls(q, 'runs.agent_memory');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE runs.agent_memory');
  }
}
