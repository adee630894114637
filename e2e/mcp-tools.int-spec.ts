import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { roleOf, TEST_SERVICE_PASSWORDS } from '@weaver/database';
import { type RunningStack, startTestStack } from '@weaver/stack';
import { FILESYSTEM_SERVER } from '@weaver/testing';

interface RunView {
  status: string;
  result?: unknown;
  error?: string;
}

/**
 * MCP tools through the whole stack: the agent-runner starts server-filesystem (stdio) from its
 * MCP_SERVERS config and reports it to the registry, the gateway lists it (GET /v1/tools), an
 * agent calls its granted tool in a run, an ungranted tool fails the run naming tool and agent,
 * an admin grant (PUT /v1/admin/tenants/:id/tool-grants/:agent) opens it, and every call is in
 * tools.tool_calls under the tenant's row-level security.
 */
describe('MCP tools end to end', () => {
  const dir = mkdtempSync(join(tmpdir(), 'weaver-e2e-mcp-'));
  let stack: RunningStack & { namespace: string };
  let acme: { tenantId: string; apiKey: string };

  beforeAll(async () => {
    writeFileSync(join(dir, 'brief.txt'), 'granted tools only');
    const mcpServers = { mcpServers: { fs: { command: process.execPath, args: [FILESYSTEM_SERVER, dir] } } };
    stack = await startTestStack('mcp-tools', {
      workflows: ['e2e/fixtures/tool-workflow.ts'],
      env: { 'agent-runner': { MCP_SERVERS: JSON.stringify(mcpServers), TOOL_GRANTS_CACHE_TTL_MS: '0', STEP_MAX_ATTEMPTS: '2' } },
    });
    acme = await stack.createTenant('acme');
  }, 180_000);
  afterAll(async () => {
    await stack?.stop();
  });

  const http = (path: string, init: RequestInit & { key?: string; admin?: boolean } = {}) =>
    fetch(`${stack.gatewayUrl}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', ...(init.key ? { authorization: `Bearer ${init.key}` } : {}), ...(init.admin ? { 'x-admin-token': stack.adminToken } : {}), ...init.headers },
    });
  const run = async (input: unknown): Promise<RunView> => {
    const started = await http('/v1/runs', { method: 'POST', key: acme.apiKey, body: JSON.stringify({ workflow: 'tool-docs', input }) });
    expect(started.status).toBe(202);
    const { run: { runId } } = (await started.json()) as { run: { runId: string } };
    const deadline = Date.now() + 60_000;
    for (;;) {
      const res = await http(`/v1/runs/${runId}`, { key: acme.apiKey });
      const view = res.status === 200 ? ((await res.json()) as { run: RunView }).run : undefined;
      if (view && (view.status === 'completed' || view.status === 'failed')) return view;
      if (Date.now() > deadline) throw new Error(`run ${runId} did not finish`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  it('lists the discovered server and its tools over GET /v1/tools (API key required)', async () => {
    expect((await http('/v1/tools')).status).toBe(401);
    type Listed = { servers: Array<{ server: string; status: string; transport: string; tools: Array<{ name: string; inputSchema: { type?: string } }> }> };
    // The runner reports right after it starts consuming (which is when the stack calls it ready).
    const deadline = Date.now() + 30_000;
    let fs: Listed['servers'][number] | undefined;
    while (!fs) {
      const res = await http('/v1/tools', { key: acme.apiKey });
      expect(res.status).toBe(200);
      fs = ((await res.json()) as Listed).servers.find((s) => s.server === 'fs');
      if (!fs && Date.now() > deadline) throw new Error('the runner never reported its MCP servers');
      if (!fs) await new Promise((r) => setTimeout(r, 200));
    }
    expect(fs).toMatchObject({ status: 'ready', transport: 'stdio' });
    expect(fs!.tools.map((t) => t.name)).toEqual(expect.arrayContaining(['fs/read_text_file', 'fs/list_directory']));
    expect(fs!.tools.find((t) => t.name === 'fs/read_text_file')!.inputSchema.type).toBe('object');
  });

  it('runs a granted tool; an ungranted one fails the run naming tool and agent until an admin grants it', async () => {
    const granted = await run({ path: join(dir, 'brief.txt') });
    expect(granted).toMatchObject({ status: 'completed', result: { text: 'granted tools only', granted: ['fs/read_text_file'] } });

    const denied = await run({ path: join(dir, 'brief.txt'), list: dir });
    expect(denied.status).toBe('failed');
    expect(denied.error).toContain('tool "fs/list_directory" is not granted to agent "tool-reader"');

    const bad = await http(`/v1/admin/tenants/${acme.tenantId}/tool-grants/tool-reader`, { method: 'PUT', admin: true, body: JSON.stringify({ grants: ['*'] }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('grants[0]: must be "<server>/<tool>" or "<server>/*"');
    const put = await http(`/v1/admin/tenants/${acme.tenantId}/tool-grants/tool-reader`, { method: 'PUT', admin: true, body: JSON.stringify({ grants: ['fs/list_directory'] }) });
    expect(put.status).toBe(200);
    expect(await (await http(`/v1/admin/tenants/${acme.tenantId}/tool-grants`, { admin: true })).json()).toEqual({ grants: { 'tool-reader': ['fs/list_directory'] } });

    const opened = await run({ path: join(dir, 'brief.txt'), list: dir });
    expect(opened).toMatchObject({ status: 'completed', result: { listing: expect.stringContaining('[FILE] brief.txt'), granted: ['fs/read_text_file', 'fs/list_directory'] } }); // the server's order
  });

  it("records every call with tenant, run, step, tool, outcome and duration, visible only under the tenant's setting", async () => {
    // As the agent-runner's role: the owner is a superuser, which row-level security does not bind.
    const url = new URL(stack.ownerUrl);
    url.username = roleOf('agent-runner');
    url.password = TEST_SERVICE_PASSWORDS['agent-runner'];
    const db = new Client({ connectionString: url.toString() });
    await db.connect();
    try {
      const count = async (tenant: string) => {
        await db.query(`SELECT set_config('weaver.tenant_id', $1, false)`, [tenant]);
        return (await db.query<{ tool: string; outcome: string; n: string }>(`SELECT tool, outcome, count(*) AS n FROM tools.tool_calls GROUP BY 1, 2 ORDER BY 1, 2`)).rows.map((r) => [r.tool, r.outcome, Number(r.n)]);
      };
      // Three runs read the file; the denial is not retriable, so its step dead-lettered at once (one record).
      expect(await count(acme.tenantId)).toEqual([
        ['fs/list_directory', 'denied', 1],
        ['fs/list_directory', 'ok', 1],
        ['fs/read_text_file', 'ok', 3],
      ]);
      expect(await count('00000000-0000-4000-8000-000000000000')).toEqual([]);
      // Tool output is tenant content: sealed under the tenant's key, never stored in plaintext.
      await db.query(`SELECT set_config('weaver.tenant_id', $1, false)`, [acme.tenantId]);
      const stored = (await db.query<{ result: string }>(`SELECT result::text AS result FROM tools.tool_calls WHERE outcome = 'ok'`)).rows.map((r) => r.result);
      expect(stored).toHaveLength(4);
      for (const r of stored) {
        expect(r).toContain('"$enc"');
        expect(r).not.toContain('granted tools only');
      }
    } finally {
      await db.end();
    }
  });
});
