import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls, settingExpression } from '@weaver/persistence';

/**
 * The four kinds of agent memory (issue 9), replacing `runs.agent_memory` (the interim
 * key-value store, dropped: its values were sealed under the purpose `runs.agent_memory.value`,
 * which SQL cannot re-seal under the new columns' purposes, and it held no limits or TTL to
 * carry over). In the `runs` schema because a step's memory writes commit in the transaction
 * that records the step (`runs.steps`), by the same role, migrated with the same set.
 *
 * Values (`value`, `text`, `data`, `metadata`, `embedding`) are sealed by the runner; ids,
 * agent names, keys, times, sizes and dimensions stay plaintext: they are looked up and
 * ordered by. `bytes` is what a row counts against its kind's limit (see docs/memory.md).
 *
 * `runs.memory_usage` keeps items and bytes per (tenant, agent, kind) in `shard`s (a scope's
 * use is the sum of its shards), each batch adding its change to one shard picked at random, in
 * the same transaction as the rows: limits are checked against it (no scan per write), the
 * metrics come from it, and concurrent writers of one agent rarely wait for each other (one
 * row would serialise them). `prev_bytes` is a mechanism, not data: an upsert sets it to the
 * replaced row's size so its RETURNING gives the exact change. `xid` (the inserting
 * transaction) lets a runner's "since last seen" catch-up miss no row whatever the commit
 * order: rows it has not seen have an xid at or above the oldest transaction running when it
 * last looked (`pg_snapshot_xmin`).
 *
 * The sweep of expired rows finds them across tenants with `weaver.memory_sweep = on`: that
 * policy shows expired rows only (no other row), and the deletes then run per tenant.
 */
export class CreateMemoryKinds1733100000000 implements MigrationInterface {
  name = 'CreateMemoryKinds1733100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS runs.agent_memory');
    await q.query(`
      CREATE TABLE runs.memory_short_term (
        tenant_id uuid NOT NULL,
        run_id uuid NOT NULL,
        agent text NOT NULL,
        key text NOT NULL,
        value jsonb NOT NULL,
        bytes int NOT NULL,
        prev_bytes int,
        written_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, run_id, agent, key)
      )`);
    await q.query('CREATE INDEX memory_short_term_written_idx ON runs.memory_short_term (tenant_id, run_id, agent, written_at)');
    await q.query('CREATE INDEX memory_short_term_expiry_idx ON runs.memory_short_term (expires_at)');
    await q.query(`
      CREATE TABLE runs.memory_long_term (
        tenant_id uuid NOT NULL,
        agent text NOT NULL,
        key text NOT NULL,
        value jsonb NOT NULL,
        bytes int NOT NULL,
        prev_bytes int,
        written_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, agent, key)
      )`);
    await q.query('CREATE INDEX memory_long_term_written_idx ON runs.memory_long_term (tenant_id, agent, written_at, key)');
    await q.query(`
      CREATE TABLE runs.memory_episodic (
        id bigserial PRIMARY KEY,
        tenant_id uuid NOT NULL,
        agent text NOT NULL,
        at timestamptz NOT NULL,
        text jsonb NOT NULL,
        data jsonb,
        embedding bytea NOT NULL,
        dims int NOT NULL,
        bytes int NOT NULL,
        expires_at timestamptz NOT NULL,
        xid xid8 NOT NULL DEFAULT pg_current_xact_id()
      )`);
    await q.query('CREATE INDEX memory_episodic_at_idx ON runs.memory_episodic (tenant_id, agent, at)');
    await q.query('CREATE INDEX memory_episodic_scope_idx ON runs.memory_episodic (tenant_id, agent, id)');
    await q.query('CREATE INDEX memory_episodic_xid_idx ON runs.memory_episodic (tenant_id, agent, xid, id)');
    await q.query('CREATE INDEX memory_episodic_expiry_idx ON runs.memory_episodic (expires_at)');
    await q.query(`
      CREATE TABLE runs.memory_semantic (
        id bigserial PRIMARY KEY,
        tenant_id uuid NOT NULL,
        agent text NOT NULL,
        text jsonb NOT NULL,
        metadata jsonb NOT NULL,
        embedding bytea NOT NULL,
        dims int NOT NULL,
        bytes int NOT NULL,
        xid xid8 NOT NULL DEFAULT pg_current_xact_id()
      )`);
    await q.query('CREATE INDEX memory_semantic_scope_idx ON runs.memory_semantic (tenant_id, agent, id)');
    await q.query('CREATE INDEX memory_semantic_xid_idx ON runs.memory_semantic (tenant_id, agent, xid, id)');
    await q.query(`
      CREATE TABLE runs.memory_usage (
        tenant_id uuid NOT NULL,
        agent text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('short_term', 'long_term', 'episodic', 'semantic')),
        shard smallint NOT NULL,
        items bigint NOT NULL DEFAULT 0,
        bytes bigint NOT NULL DEFAULT 0,
        evictions bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (tenant_id, agent, kind, shard)
      )`);
    for (const table of ['memory_short_term', 'memory_long_term', 'memory_episodic', 'memory_semantic', 'memory_usage']) await enableTenantRls(q, `runs.${table}`);
    const sweep = `${settingExpression('weaver.memory_sweep')} = 'on'`; // MEMORY_SWEEP_SETTING, as of this migration
    for (const table of ['memory_short_term', 'memory_episodic']) {
      await q.query(`CREATE POLICY memory_sweep ON runs.${table} FOR SELECT USING (${sweep} AND expires_at <= now())`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['memory_usage', 'memory_semantic', 'memory_episodic', 'memory_long_term', 'memory_short_term']) await q.query(`DROP TABLE runs.${table}`);
    await q.query(`
      CREATE TABLE runs.agent_memory (
        tenant_id uuid NOT NULL, scope text NOT NULL, agent text NOT NULL, key text NOT NULL, value jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (tenant_id, scope, agent, key)
      )`);
    await enableTenantRls(q, 'runs.agent_memory');
  }
}
