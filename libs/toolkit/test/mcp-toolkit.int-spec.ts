import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { migrateTestDatabase, type ServiceUrls } from '@weaver/database';
import { Metrics } from '@weaver/observability';
import { createDataSource, withTenant } from '@weaver/persistence';
import { BreakerOpenError } from '@weaver/resilience';
import { ToolDeniedError, ToolFailedError } from '@weaver/sdk';
import { llmClientFrom } from '@weaver/sdk/internal';
import { createTestDatabase, EVERYTHING_SERVER, FILESYSTEM_SERVER, startEverythingHttp, type TestDatabase } from '@weaver/testing';
import { McpToolkit, parseMcpServers, ToolCallStore, ToolGrantStore, ToolServerUnavailableError, ToolTimeoutError, TOOLS_MIGRATIONS, TOOLS_SCHEMA, type ToolScope } from '../src';

// 20000-20199 is the MCP tests' port range (e2e/mcp-tools uses a stack at 20000, which takes
// +0..15 and +100..115); this file's HTTP server takes 20190, shifted like every test port.
const HTTP_PORT = 20190 + Number(process.env['WEAVER_E2E_PORT_SHIFT'] ?? 0);
const node = process.execPath;
const noLlm = llmClientFrom({ generate: async () => ({ text: '', toolCalls: [], model: 'none', usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0, replayed: false }) });

describe('McpToolkit against the reference MCP servers (stdio and streamable HTTP), calls recorded in PostgreSQL', () => {
  let dir: string;
  let http: Awaited<ReturnType<typeof startEverythingHttp>>;
  let db: TestDatabase & ServiceUrls;
  let runner: DataSource;
  let gateway: DataSource;
  let toolkit: McpToolkit;
  let grants: ToolGrantStore;
  const tenant = randomUUID();

  const scope = (over: Partial<ToolScope> = {}): ToolScope => ({ tenantId: tenant, runId: randomUUID(), workflow: 'wf', agent: 'reader', step: 'reader', grants: ['fs/*', 'everything/echo', 'slow/*', 'dead/*'], llm: noLlm, ...over });
  const recordsOf = (runId: string, tenantId = tenant) =>
    withTenant(runner, tenantId, (em) => em.query(`SELECT seq, tool, outcome, duration_ms, result, error, agent FROM tools.tool_calls WHERE run_id = $1 ORDER BY seq`, [runId])) as Promise<
      Array<{ seq: number; tool: string; outcome: string; duration_ms: number; result: { content: Array<{ text?: string }> } | null; error: string | null; agent: string }>
    >;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'weaver-mcp-'));
    await writeFile(join(dir, 'notes.txt'), 'tools are denied by default');
    http = await startEverythingHttp(HTTP_PORT);
    db = await migrateTestDatabase(await createTestDatabase(), [{ schema: TOOLS_SCHEMA, migrations: TOOLS_MIGRATIONS }]);
    runner = await createDataSource({ url: db.urlOf('agent-runner'), schema: TOOLS_SCHEMA, poolSize: 4 }).initialize();
    gateway = await createDataSource({ url: db.urlOf('gateway'), schema: TOOLS_SCHEMA, poolSize: 2 }).initialize();
    grants = new ToolGrantStore(runner, 0);
    process.env['WEAVER_TEST_MCP_SECRET'] = 'declared-secret-value';
    process.env['WEAVER_TEST_RUNNER_ONLY'] = 'runner-secret'; // in the runner's environment before the servers start
    const servers = parseMcpServers(
      {
        mcpServers: {
          fs: { command: node, args: [FILESYSTEM_SERVER, dir] },
          everything: { command: node, args: [EVERYTHING_SERVER, 'stdio'], env: { DECLARED: '${WEAVER_TEST_MCP_SECRET}' } },
          remote: { url: http.url },
          slow: { command: node, args: [EVERYTHING_SERVER, 'stdio'], timeoutMs: 300, breaker: { volumeThreshold: 2, errorThresholdPercentage: 50, resetTimeoutMs: 60_000 } },
          dead: { command: node, args: ['-e', 'process.exit(3)'], timeoutMs: 2_000 },
        },
      },
      'test config',
    );
    toolkit = await McpToolkit.start({ servers, calls: new ToolCallStore(runner), grants, metrics: new Metrics('toolkit-test'), rediscoverEveryMs: 0 });
  });

  afterAll(async () => {
    await toolkit?.close();
    await http?.stop();
    await runner?.destroy();
    await gateway?.destroy();
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('discovers tools, resources and prompts of every server; a dead server is listed failed', () => {
    const byName = Object.fromEntries(toolkit.discovered().map((s) => [s.server, s]));
    expect(byName['fs']).toMatchObject({ status: 'ready', transport: 'stdio' });
    expect(byName['fs']!.tools.map((t) => t.name)).toEqual(expect.arrayContaining(['fs/read_text_file', 'fs/write_file', 'fs/list_directory']));
    expect(byName['everything']!.tools.map((t) => t.name)).toEqual(expect.arrayContaining(['everything/echo', 'everything/get-sum', 'everything/get-env']));
    expect(byName['everything']!.resources.length).toBeGreaterThan(0);
    expect(byName['everything']!.prompts.map((p) => p.name).length).toBeGreaterThan(0);
    expect(byName['remote']).toMatchObject({ status: 'ready', transport: 'http' });
    expect(byName['remote']!.tools.map((t) => t.name)).toContain('remote/echo');
    expect(byName['dead']).toMatchObject({ status: 'failed', tools: [] });
    expect(byName['dead']!.error).toMatch(/dead/);
  });

  it('lists only granted tools and calls them; a denied call names tool and agent and is recorded', async () => {
    const s = scope();
    const tools = toolkit.tools(s);
    const listed = await tools.list();
    expect(listed).toContain('fs/read_text_file');
    expect(listed).toContain('everything/echo');
    expect(listed).not.toContain('everything/get-sum');
    expect(listed.some((n) => n.startsWith('remote/'))).toBe(false);

    const read = await tools.call('fs/read_text_file', { path: join(dir, 'notes.txt') });
    expect(read.content[0]).toMatchObject({ type: 'text', text: 'tools are denied by default' });
    const denied = tools.call('everything/get-sum', { a: 1, b: 2 });
    await expect(denied).rejects.toBeInstanceOf(ToolDeniedError);
    await expect(denied).rejects.toThrow('tool "everything/get-sum" is not granted to agent "reader"');

    expect(await recordsOf(s.runId)).toMatchObject([
      { seq: 1, tool: 'fs/read_text_file', outcome: 'ok', agent: 'reader', error: null, result: { content: [{ text: 'tools are denied by default' }] } },
      { seq: 2, tool: 'everything/get-sum', outcome: 'denied', duration_ms: 0 },
    ]);
    // Row-level security: another tenant sees none of them.
    expect(await recordsOf(s.runId, randomUUID())).toEqual([]);
  });

  it('an admin grant (per tenant, written as the gateway) opens a tool over streamable HTTP; revoking closes it', async () => {
    const adminGrants = new ToolGrantStore(gateway, 0);
    await adminGrants.set(tenant, 'reader', ['remote/echo']);
    expect(await adminGrants.list(tenant)).toEqual({ reader: ['remote/echo'] });
    const tools = toolkit.tools(scope());
    expect(await tools.list()).toContain('remote/echo');
    const echoed = await tools.call('remote/echo', { message: 'over http' });
    expect(echoed.content[0]).toMatchObject({ type: 'text', text: 'Echo: over http' });
    // Another tenant's agent of the same name does not get it.
    expect(await toolkit.tools(scope({ tenantId: randomUUID() })).list()).not.toContain('remote/echo');
    await adminGrants.set(tenant, 'reader', []);
    await expect(toolkit.tools(scope()).call('remote/echo', { message: 'x' })).rejects.toBeInstanceOf(ToolDeniedError);
  });

  it('a redelivered step gets the recorded answer of a side-effecting call instead of running it again', async () => {
    const s = scope();
    const file = join(dir, 'once.txt');
    await toolkit.tools(s).call('fs/write_file', { path: file, content: 'written by the step' });
    await writeFile(file, 'changed since'); // if the replay ran write_file again, this would be overwritten
    const replay = toolkit.tools(s); // same tenant, run and step: the step delivered again
    const again = await replay.call('fs/write_file', { content: 'written by the step', path: file }); // key order is not meaning
    expect(again.content[0]).toMatchObject({ type: 'text' });
    expect(await readFile(file, 'utf8')).toBe('changed since');
    // The next call of the replay (a call the first delivery never made) runs.
    await replay.call('fs/write_file', { path: file, content: 'second call' });
    expect(await readFile(file, 'utf8')).toBe('second call');
    expect((await recordsOf(s.runId)).map((r) => [r.seq, r.outcome])).toEqual([[1, 'ok'], [2, 'ok']]);
  });

  it('a tool that answers isError fails with ToolFailedError, recorded as error', async () => {
    const s = scope();
    await expect(toolkit.tools(s).call('fs/read_text_file', { path: join(dir, 'missing.txt') })).rejects.toBeInstanceOf(ToolFailedError);
    expect(await recordsOf(s.runId)).toMatchObject([{ seq: 1, tool: 'fs/read_text_file', outcome: 'error' }]);
  });

  it('a slow server times out, then its breaker opens and refuses without calling', async () => {
    const s = scope();
    const tools = toolkit.tools(s);
    const slow = { duration: 5, steps: 1 };
    await expect(tools.call('slow/trigger-long-running-operation', slow)).rejects.toBeInstanceOf(ToolTimeoutError);
    await expect(tools.call('slow/trigger-long-running-operation', slow)).rejects.toThrow('did not answer within its timeout of 300 ms');
    expect(toolkit.connection('slow')!.breaker.state).toBe('open');
    await expect(tools.call('slow/echo', { message: 'hi' })).rejects.toBeInstanceOf(BreakerOpenError);
    expect((await recordsOf(s.runId)).map((r) => [r.seq, r.outcome])).toEqual([[1, 'timeout'], [2, 'timeout'], [3, 'breaker_open']]);
  });

  it('a dead server fails calls as unavailable, naming the server', async () => {
    const s = scope();
    await expect(toolkit.tools(s).call('dead/anything', {})).rejects.toBeInstanceOf(ToolServerUnavailableError);
    await expect(toolkit.tools(scope()).call('dead/anything', {})).rejects.toThrow('MCP server "dead" is unavailable');
    expect(await recordsOf(s.runId)).toMatchObject([{ seq: 1, tool: 'dead/anything', outcome: 'unavailable' }]);
  });

  it("a stdio server gets its declared env (secrets expanded from the runner's) and not the runner's own environment", async () => {
    const tools = toolkit.tools(scope({ grants: ['everything/get-env'] }));
    const env = JSON.parse(String((await tools.call('everything/get-env', {})).content[0]!['text'])) as Record<string, string>;
    expect(env['DECLARED']).toBe('declared-secret-value');
    expect(env['WEAVER_TEST_RUNNER_ONLY']).toBeUndefined();
    expect(env['WEAVER_TEST_PG_URL']).toBeUndefined();
  });

  it('reconnects to a streamable HTTP server that went away and came back', async () => {
    const tools = toolkit.tools(scope({ grants: ['remote/echo'] }));
    await http.stop();
    await expect(tools.call('remote/echo', { message: 'gone' })).rejects.toThrow('MCP server "remote" is unavailable');
    http = await startEverythingHttp(HTTP_PORT);
    expect((await tools.call('remote/echo', { message: 'back' })).content[0]).toMatchObject({ text: 'Echo: back' });
  });
});
