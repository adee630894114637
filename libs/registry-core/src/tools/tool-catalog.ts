import type { DataSource } from 'typeorm';
import { ValidationError } from '@weaver/errors';
import type { Clock } from '../clock';
import { systemClock } from '../clock';

export interface ReportedServer {
  server: string;
  transport: 'stdio' | 'http';
  status: 'ready' | 'failed';
  error: string;
  tools: Array<{ name: string; description: string; inputSchemaJson: string }>;
  resources: Array<{ uri: string; name: string; mimeType: string }>;
  prompts: Array<{ name: string; description: string; arguments: string[] }>;
}

export interface ListedServer extends ReportedServer {
  runnerId: string;
  reportedAt: Date;
}

const SERVER = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/**
 * The MCP servers agent-runners discovered (`registry.mcp_servers`): a runner's report replaces
 * its previous one in one transaction; the list shows the latest report of each server name
 * (runners of one installation share their config, so any of them speaks for a server).
 */
export class ToolCatalog {
  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock = systemClock,
  ) {}

  async report(runnerId: string, servers: ReportedServer[]): Promise<number> {
    const problems = [
      ...(runnerId.trim() && runnerId.length <= 200 ? [] : [{ field: 'runner_id', rule: 'must be 1-200 characters' }]),
      ...servers.flatMap((s, i) => [
        ...(SERVER.test(s.server) ? [] : [{ field: `servers[${i}].server`, rule: 'must match [A-Za-z0-9][A-Za-z0-9_-]*' }]),
        ...(s.transport === 'stdio' || s.transport === 'http' ? [] : [{ field: `servers[${i}].transport`, rule: 'must be "stdio" or "http"' }]),
        ...(s.status === 'ready' || s.status === 'failed' ? [] : [{ field: `servers[${i}].status`, rule: 'must be "ready" or "failed"' }]),
      ]),
    ];
    if (problems.length) throw new ValidationError(problems, 'tool report');
    const now = this.clock.now();
    await this.ds.transaction(async (em) => {
      await em.query(`DELETE FROM registry.mcp_servers WHERE runner_id = $1`, [runnerId]);
      if (!servers.length) return;
      await em.query(
        `INSERT INTO registry.mcp_servers (runner_id, server, transport, status, error, tools, resources, prompts, reported_at)
         SELECT $1, s, t, st, e, tl, r, p, $9 FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::jsonb[], $8::jsonb[]) AS x(s, t, st, e, tl, r, p)`,
        [
          runnerId,
          servers.map((s) => s.server),
          servers.map((s) => s.transport),
          servers.map((s) => s.status),
          servers.map((s) => s.error),
          servers.map((s) => JSON.stringify(s.tools)),
          servers.map((s) => JSON.stringify(s.resources)),
          servers.map((s) => JSON.stringify(s.prompts)),
          now,
        ],
      );
    });
    return servers.length;
  }

  async list(): Promise<ListedServer[]> {
    const rows: Array<{ runner_id: string; server: string; transport: 'stdio' | 'http'; status: 'ready' | 'failed'; error: string; tools: ReportedServer['tools']; resources: ReportedServer['resources']; prompts: ReportedServer['prompts']; reported_at: Date }> =
      await this.ds.query(`SELECT DISTINCT ON (server) * FROM registry.mcp_servers ORDER BY server, reported_at DESC, runner_id`);
    return rows.map((r) => ({ runnerId: r.runner_id, server: r.server, transport: r.transport, status: r.status, error: r.error, tools: r.tools, resources: r.resources, prompts: r.prompts, reportedAt: new Date(r.reported_at) }));
  }
}
