import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * MCP servers as each agent-runner discovered them (ReportTools). Platform-level like agent
 * definitions (the runner's configured servers are the installation's, not a tenant's), so no
 * tenant row-level security; which tenant's agent may call what is in tools.tool_grants.
 */
export class CreateMcpServers1760200000000 implements MigrationInterface {
  name = 'CreateMcpServers1760200000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.query(`
      CREATE TABLE registry.mcp_servers (
        runner_id text NOT NULL CHECK (length(runner_id) BETWEEN 1 AND 200),
        server text NOT NULL CHECK (server ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$'),
        transport text NOT NULL CHECK (transport IN ('stdio', 'http')),
        status text NOT NULL CHECK (status IN ('ready', 'failed')),
        error text NOT NULL DEFAULT '',
        tools jsonb NOT NULL,
        resources jsonb NOT NULL,
        prompts jsonb NOT NULL,
        reported_at timestamptz NOT NULL,
        PRIMARY KEY (runner_id, server)
      )`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query('DROP TABLE registry.mcp_servers');
  }
}
