import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Agent definitions and instances. Both are platform-level (definitions may carry a tenant but
 * a null tenant means "everyone's"), so neither table is under tenant row-level security.
 */
export class CreateRegistry1760100000000 implements MigrationInterface {
  name = 'CreateRegistry1760100000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`
      CREATE TABLE registry.agent_definitions (
        id uuid PRIMARY KEY,
        tenant_id uuid,
        name text NOT NULL CHECK (name ~ '^[a-z][a-z0-9-]{0,62}$'),
        version text NOT NULL CHECK (length(version) BETWEEN 5 AND 100),
        is_latest boolean NOT NULL,
        description text NOT NULL DEFAULT '',
        capabilities text[] NOT NULL DEFAULT '{}',
        requires text[] NOT NULL DEFAULT '{}',
        publishes text[] NOT NULL DEFAULT '{}',
        input_schema jsonb NOT NULL,
        output_schema jsonb NOT NULL,
        max_concurrency integer NOT NULL DEFAULT 0 CHECK (max_concurrency >= 0),
        timeout_ms integer NOT NULL DEFAULT 0 CHECK (timeout_ms >= 0),
        created_at timestamptz NOT NULL
      )`);
    // A null tenant is "platform": coalesce makes it one value, so (null, name, version) is unique too.
    await qr.query(`CREATE UNIQUE INDEX agent_definitions_version_uq ON registry.agent_definitions
      (coalesce(tenant_id, '00000000-0000-0000-0000-000000000000'::uuid), name, version)`);
    await qr.query(`CREATE UNIQUE INDEX agent_definitions_latest_uq ON registry.agent_definitions
      (coalesce(tenant_id, '00000000-0000-0000-0000-000000000000'::uuid), name) WHERE is_latest`);
    await qr.query('CREATE INDEX agent_definitions_capabilities_idx ON registry.agent_definitions USING gin (capabilities) WHERE is_latest');
    await qr.query('CREATE INDEX agent_definitions_requires_idx ON registry.agent_definitions USING gin (requires) WHERE is_latest');

    await qr.query(`
      CREATE TABLE registry.agent_instances (
        instance_id text PRIMARY KEY CHECK (instance_id ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$'),
        definition_id uuid NOT NULL REFERENCES registry.agent_definitions (id),
        agent_name text NOT NULL,
        agent_version text NOT NULL,
        host text NOT NULL,
        pid integer NOT NULL CHECK (pid >= 0),
        health text NOT NULL CHECK (health IN ('healthy', 'suspect', 'dead', 'draining', 'deregistered')),
        drain_requested boolean NOT NULL DEFAULT false,
        in_flight integer NOT NULL DEFAULT 0 CHECK (in_flight >= 0),
        partitions jsonb NOT NULL DEFAULT '[]',
        registered_at timestamptz NOT NULL,
        last_heartbeat_at timestamptz NOT NULL,
        health_changed_at timestamptz NOT NULL,
        deregistered_at timestamptz,
        CHECK ((health = 'deregistered') = (deregistered_at IS NOT NULL))
      )`);
    await qr.query(`CREATE INDEX agent_instances_agent_idx ON registry.agent_instances (agent_name) WHERE health <> 'deregistered'`);
    // The sweeper's scan: live instances by heartbeat age.
    await qr.query(`CREATE INDEX agent_instances_sweep_idx ON registry.agent_instances (last_heartbeat_at) WHERE health IN ('healthy', 'suspect', 'draining')`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query('DROP TABLE registry.agent_instances');
    await qr.query('DROP TABLE registry.agent_definitions');
  }
}
