/**
 * The real `weaver` binary (bin/weaver, a child process) against an HTTP server that speaks the
 * gateway's documented REST + SSE routes (gateway-api.server.ts). This covers what the CLI
 * sends, shows and exits with; the path through the real gateway, Kafka and agents is covered
 * by the lead's end-to-end test of the full stack.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGatewayApiServer, type GatewayApiServer } from './gateway-api.server';
import { runWeaver, startWeaver } from './run-cli';

const API_KEY = 'wv_test_key_0123456789';
const agents = [
  { definition: { name: 'summarizer', version: '1.0.0', capabilities: ['summarize'], requires: ['notes.requested'], publishes: ['summarizer.done'], inputSchemaJson: '', outputSchemaJson: '', maxConcurrency: 1, timeoutMs: 0, description: '' }, instances: [{ instanceId: 'runner-1', agent: 'summarizer', health: 'INSTANCE_HEALTH_HEALTHY', host: 'h', pid: 1, inFlight: 0, assignedPartitions: [], registeredAtMs: 1, lastHeartbeatAtMs: 1, agentVersion: '1.0.0', drainRequested: false, takenOver: [], healthChangedAtMs: 1 }], healthyInstances: 1 },
  { definition: { name: 'reviewer', version: '2.1.0', capabilities: ['review'], requires: ['summarizer.done'], publishes: ['notes.reviewed'], inputSchemaJson: '', outputSchemaJson: '', maxConcurrency: 1, timeoutMs: 0, description: '' }, instances: [], healthyInstances: 0 },
];

describe('weaver CLI against the gateway API', () => {
  let server: GatewayApiServer;
  let cwd: string;
  const env = () => ({ WEAVER_URL: server.url, WEAVER_API_KEY: API_KEY });
  const weaver = (...args: string[]) => runWeaver(args, { cwd, env: env() });

  beforeAll(async () => {
    cwd = mkdtempSync(join(tmpdir(), 'weaver-cli-int-'));
    server = await startGatewayApiServer(API_KEY, {
      notes: { steps: [{ agent: 'summarizer', durationMs: 120 }, { agent: 'reviewer', durationMs: 80 }], result: (input) => ({ summary: `about ${String(input['text'])}`, approved: true }), requiredText: ['text'] },
      flaky: { steps: [{ agent: 'summarizer', durationMs: 50 }, { agent: 'reviewer', durationMs: 50, fails: 'model timed out' }], result: () => null },
      gated: { steps: [{ agent: 'summarizer', durationMs: 20 }, { agent: 'reviewer', durationMs: 20 }], result: () => 'released', gated: true },
      dropped: { steps: [{ agent: 'summarizer', durationMs: 50 }, { agent: 'reviewer', durationMs: 150 }], result: () => 'done', dropFirstStream: true },
    }, agents);
  });
  afterAll(async () => {
    await server.close();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('runs a workflow: progress lines on stderr, the result alone on stdout, exit 0', async () => {
    const { code, stdout, stderr } = await weaver('run', 'notes', '--input', '{"text": "kafka"}');
    expect({ code, stderr }).toMatchObject({ code: 0 });
    expect(JSON.parse(stdout)).toEqual({ summary: 'about kafka', approved: true });
    expect(stderr).toMatch(/started run [0-9a-f-]{36} of notes/);
    expect(stderr).toMatch(/✓ summarizer completed in \d+ms\n.*✓ reviewer completed in \d+ms\n/);
    expect(stderr).toMatch(/✓ notes completed in /);
    expect(stderr).not.toMatch(/\x1b/); // not a terminal: no redraws, no colour
  });

  it('--json prints one object and nothing else', async () => {
    const { code, stdout, stderr } = await weaver('run', 'notes', '--input', '{"text": "json"}', '--json');
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout.trimEnd().split('\n')).toHaveLength(1);
    const answer = JSON.parse(stdout) as { run: { status: string; steps: Array<{ step: string }> }; result: unknown };
    expect(answer.run.status).toBe('completed');
    expect(answer.run.steps.map((s) => s.step)).toEqual(['summarizer', 'reviewer']);
    expect(answer.result).toEqual({ summary: 'about json', approved: true });
  });

  it('reads the input from a file', async () => {
    writeFileSync(join(cwd, 'input.json'), '{"text": "from a file"}');
    const { code, stdout } = await weaver('run', 'notes', '--input-file', 'input.json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ summary: 'about from a file' });
  });

  it('exits 1 and names the failed step when the run fails', async () => {
    const { code, stdout, stderr } = await weaver('run', 'flaky');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/✗ reviewer failed: model timed out/);
    expect(stderr).toMatch(/✗ flaky failed after \S+: step reviewer failed: model timed out/);
    expect(stderr).toMatch(/see the timeline: weaver logs [0-9a-f-]{36}/);
  });

  it('reconnects when the event stream drops mid-run and shows each step once', async () => {
    const before = server.requests.filter((r) => r.endsWith('/events')).length;
    const { code, stdout, stderr } = await weaver('run', 'dropped');
    expect(code).toBe(0);
    expect(stdout).toBe('done\n');
    expect(stderr.match(/✓ summarizer/g)).toHaveLength(1);
    expect(stderr.match(/✓ reviewer/g)).toHaveLength(1);
    expect(server.requests.filter((r) => r.endsWith('/events')).length - before).toBe(2);
  });

  it("shows the gateway's validation errors naming the field", async () => {
    const { code, stderr } = await weaver('run', 'notes', '--input', '{"text": ""}');
    expect(code).toBe(1);
    expect(stderr).toBe('error: the gateway refused the request: input.text: must be a non-empty string\n');
    const unknown = await weaver('run', 'nope');
    expect(unknown.stderr).toMatch(/^error: workflow nope not found\nhint: check the name or id/);
  });

  it('lists runs, newest first (table and JSON)', async () => {
    const table = await weaver('runs', '--limit', '2');
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^RUN\s+WORKFLOW\s+STATUS\s+CREATED\s+DURATION$/);
    expect(lines).toHaveLength(3);
    expect(server.requests).toContain('GET /v1/runs?limit=2');
    const json = await weaver('runs', '--json');
    const { runs } = JSON.parse(json.stdout) as { runs: Array<{ workflow: string; status: string; createdAt: string }> };
    expect(runs.map((r) => r.createdAt)).toEqual(runs.map((r) => r.createdAt).sort().reverse());
    expect(runs.some((r) => r.workflow === 'flaky' && r.status === 'failed')).toBe(true);
  });

  it("shows a run's timeline, and follows a running one as NDJSON", async () => {
    const started = await weaver('run', 'gated', '--detach');
    expect(started.code).toBe(0);
    const runId = started.stdout.trim();
    expect(runId).toMatch(/^[0-9a-f-]{36}$/);
    // The run holds until the follower is connected, so every event reaches it live.
    const following = weaver('logs', runId, '--follow', '--json');
    await server.streamOpened(runId);
    server.release(runId);
    const follow = await following;
    expect(follow.code).toBe(0);
    const kinds = follow.stdout.trimEnd().split('\n').map((l) => (JSON.parse(l) as { kind: string }).kind);
    expect(kinds).toEqual(['snapshot', 'run.started', 'step.completed', 'step.completed', 'run.completed']);
    const timeline = await weaver('logs', runId);
    expect(timeline.code).toBe(0);
    expect(timeline.stdout).toMatch(/status completed after/);
    expect(timeline.stdout).toMatch(/STEP\s+AGENT\s+STATUS\s+ATTEMPT\s+STARTED\s+DURATION\nsummarizer\s+summarizer\s+completed\s+1\s+.*\nreviewer\s+reviewer\s+completed\s+1\s+/);
    const missing = await weaver('logs', '00000000-0000-4000-8000-000000000000');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/run 00000000-0000-4000-8000-000000000000 not found/);
  });

  it('stops waiting on Ctrl-C, says how to pick the run up again, and exits 130', async () => {
    const { child, result } = startWeaver(['run', 'gated'], { cwd, env: env() });
    const runId = await new Promise<string>((resolve) => child.stderr!.on('data', (chunk: Buffer) => {
      const match = /started run ([0-9a-f-]{36})/.exec(chunk.toString());
      if (match) resolve(match[1]!);
    }));
    await server.streamOpened(runId);
    child.kill('SIGINT');
    const { code, stdout, stderr } = await result;
    expect(code).toBe(130);
    expect(stdout).toBe('');
    expect(stderr).toContain(`stopped waiting; the run goes on. Follow it with: weaver logs ${runId} --follow`);
    server.release(runId);
  });

  it('lists agents with capabilities, instances and health', async () => {
    const { code, stdout } = await weaver('agents');
    expect(code).toBe(0);
    expect(stdout).toMatch(/NAME\s+VERSION\s+CAPABILITIES\s+CONSUMES\s+INSTANCES\s+HEALTH\n/);
    expect(stdout).toMatch(/summarizer\s+1\.0\.0\s+summarize\s+notes\.requested\s+1\/1 healthy\s+healthy\n/);
    expect(stdout).toMatch(/reviewer\s+2\.1\.0\s+review\s+summarizer\.done\s+0\/0 healthy\s+no instances\n/);
    const json = await weaver('agents', '--json', '--capability', 'review');
    expect(server.requests).toContain('GET /v1/agents?capability=review');
    expect((JSON.parse(json.stdout) as { agents: Array<{ name: string; healthyInstances: number }> }).agents[0]).toMatchObject({ name: 'summarizer', healthyInstances: 1 });
  });

  it('says which API key was refused, or that none is set', async () => {
    const refused = await runWeaver(['runs'], { cwd, env: { WEAVER_URL: server.url, WEAVER_API_KEY: 'wv_wrong' } });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`error: the API key (from WEAVER_API_KEY) was refused by ${server.url}\nhint: set WEAVER_API_KEY or pass --api-key with a key of this gateway's tenant\n`);
    // A credentials file with a URL but no key: the nearest one wins, so the checkout's is not used.
    const project = join(cwd, 'no-key');
    mkdirSync(join(project, '.weaver'), { recursive: true });
    writeFileSync(join(project, '.weaver', 'credentials.json'), JSON.stringify({ url: server.url }));
    const missing = await runWeaver(['runs'], { cwd: project });
    expect(missing.stderr).toMatch(/^error: the gateway at http:\/\/127\.0\.0\.1:\d+ wants an API key and none is set\nhint: run `weaver dev`/);
  });

  it('uses .weaver/credentials.json as `npm run dev` writes it', async () => {
    const project = join(cwd, 'with-credentials');
    mkdirSync(join(project, '.weaver'), { recursive: true });
    writeFileSync(join(project, '.weaver', 'credentials.json'), JSON.stringify({ url: server.url, apiKey: API_KEY, tenantId: 'tenant-1' }));
    const { code, stdout } = await runWeaver(['runs', '--json'], { cwd: project });
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { runs: unknown[] }).runs.length).toBeGreaterThan(0);
  });

  it('says how to start the stack when the gateway is down (exit 1), usage errors exit 2', async () => {
    const port = await freePort();
    const down = await runWeaver(['runs'], { cwd, env: { WEAVER_URL: `http://127.0.0.1:${port}`, WEAVER_API_KEY: API_KEY } });
    expect(down.code).toBe(1);
    expect(down.stderr).toBe(`error: cannot reach the gateway at http://127.0.0.1:${port} (ECONNREFUSED)\nhint: is \`weaver dev\` running? Otherwise point --url or WEAVER_URL at your gateway\n`);
    const usage = await weaver('run', 'notes', '--input', '{text}');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^error: --input: must be valid JSON/);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
