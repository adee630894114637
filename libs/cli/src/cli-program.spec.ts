import { memoryIo } from '../test/memory-io';
import { CliError } from './cli-error';
import { runCli } from './cli-program';
import type { AgentSummary, GatewayApi, Run, RunEvent, StartRunRequest } from './gateway/gateway-api';

const RUN_ID = '3f2a4c9e-1b7d-4e0a-9c55-6d8e2f1a0b3c';
const at = '2025-03-01T10:00:00.000Z';
const baseRun: Run = { runId: RUN_ID, tenantId: 't', workflow: 'content-pipeline', status: 'running', input: {}, result: null, error: null, failedStep: null, subjectId: null, classification: [], createdAt: at, updatedAt: at, steps: [] };

/** An in-memory GatewayApi: each connection to the event stream plays the next script (then hangs, if asked, until aborted). */
class ScriptedGateway implements GatewayApi {
  started: StartRunRequest[] = [];
  connections = 0;
  constructor(
    private readonly finalRun: Run,
    private readonly scripts: RunEvent[][],
    private readonly hangAfterScripts = false,
  ) {}
  async startRun(request: StartRunRequest) {
    this.started.push(request);
    return { run: { ...baseRun, runId: request.runId ?? RUN_ID }, created: true };
  }
  async getRun() {
    // The run ends with the last scripted connection; before that it is still running.
    return this.connections >= this.scripts.length ? this.finalRun : baseRun;
  }
  async listRuns() {
    return [this.finalRun];
  }
  async getResult() {
    return this.finalRun.result;
  }
  async listAgents(): Promise<AgentSummary[]> {
    return [];
  }
  async *runEvents(_runId: string, signal?: AbortSignal): AsyncIterable<RunEvent> {
    const script = this.scripts[this.connections++] ?? [];
    for (const e of script) yield e;
    if (this.hangAfterScripts) {
      await new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(signal.reason), { once: true }));
    }
  }
}

const ev = (kind: RunEvent['kind'], extra: Partial<RunEvent> = {}): RunEvent => ({ kind, runId: RUN_ID, time: at, ...extra });
const completed: Run = { ...baseRun, status: 'completed', result: { approved: true, words: 3 }, updatedAt: '2025-03-01T10:00:02.000Z' };
const failed: Run = { ...baseRun, status: 'failed', error: 'model timed out', failedStep: 'writer', updatedAt: '2025-03-01T10:00:02.000Z' };
const happy = [[ev('snapshot', { run: baseRun }), ev('run.started'), ev('step.completed', { step: 'researcher', agent: 'researcher', durationMs: 800 }), ev('run.completed')]];
const argv = (...args: string[]) => ['node', 'weaver', ...args];

async function cli(args: string[], gateway: GatewayApi, io = memoryIo()) {
  const code = await runCli(argv(...args), io, { gateway: () => gateway });
  return { code, out: io.stdout.text(), err: io.stderr.text() };
}

describe('weaver run', () => {
  it('shows progress on stderr and only the result on stdout', async () => {
    const gateway = new ScriptedGateway(completed, happy);
    const { code, out, err } = await cli(['run', 'content-pipeline', '--input', '{"topic":"AI"}'], gateway);
    expect(code).toBe(0);
    expect(out).toBe('{\n  "approved": true,\n  "words": 3\n}\n');
    expect(err).toMatch(/started run 3f2a4c9e-\S+ of content-pipeline/);
    expect(err).toMatch(/✓ researcher completed in 800ms/);
    expect(err).toMatch(/✓ content-pipeline completed in 2\.0s/);
    expect(gateway.started).toEqual([{ workflow: 'content-pipeline', input: { topic: 'AI' }, runId: undefined, classification: undefined }]);
  });

  it('prints exactly one JSON object with --json, and nothing on stderr', async () => {
    const { code, out, err } = await cli(['run', 'content-pipeline', '--json'], new ScriptedGateway(completed, happy));
    expect(code).toBe(0);
    expect(out.trimEnd().split('\n')).toHaveLength(1);
    expect(JSON.parse(out)).toMatchObject({ run: { runId: RUN_ID, status: 'completed' }, result: { approved: true } });
    expect(err).toBe('');
  });

  it('exits 1 naming the failed step, also with --json', async () => {
    const script = [[ev('snapshot', { run: baseRun }), ev('step.failed', { step: 'writer', agent: 'writer', error: 'model timed out' }), ev('run.failed', { step: 'writer', error: 'model timed out' })]];
    const human = await cli(['run', 'content-pipeline'], new ScriptedGateway(failed, script));
    expect(human.code).toBe(1);
    expect(human.out).toBe('');
    expect(human.err).toMatch(/✗ content-pipeline failed after 2\.0s: step writer failed: model timed out/);
    expect(human.err).toContain(`weaver logs ${RUN_ID}`);
    const json = await cli(['run', 'content-pipeline', '--json'], new ScriptedGateway(failed, script));
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out)).toMatchObject({ run: { status: 'failed', failedStep: 'writer' }, result: null });
  });

  it('reopens a stream that ended before the run did', async () => {
    const gateway = new ScriptedGateway(completed, [[ev('snapshot', { run: baseRun })], [ev('snapshot', { run: { ...baseRun, steps: [{ step: 'researcher', agent: 'researcher', status: 'completed', attempt: 1, startedAt: at, finishedAt: at, durationMs: 5 }] } }), ev('run.completed')]]);
    const { code, err } = await cli(['run', 'content-pipeline'], gateway);
    expect(code).toBe(0);
    expect(gateway.connections).toBe(2);
    expect(err.match(/researcher/g)).toHaveLength(1);
  });

  it('shows the steps it missed when the stream was cut and the run ended before the re-read', async () => {
    const step = { step: 'writer', agent: 'writer', status: 'completed' as const, attempt: 1, startedAt: at, finishedAt: at, durationMs: 7 };
    const gateway = new ScriptedGateway({ ...completed, steps: [step] }, [[ev('snapshot', { run: baseRun })]]);
    const { code, err } = await cli(['run', 'content-pipeline'], gateway);
    expect(code).toBe(0);
    expect(gateway.connections).toBe(1);
    expect(err.match(/✓ writer completed/g)).toHaveLength(1);
  });

  it('stops waiting on Ctrl-C and says how to keep following (exit 130)', async () => {
    const interrupt = new AbortController();
    const io = memoryIo({ signal: interrupt.signal });
    const gateway = new ScriptedGateway(completed, [[ev('snapshot', { run: baseRun })]], true);
    const pending = cli(['run', 'content-pipeline'], gateway, io);
    setImmediate(() => interrupt.abort());
    const { code, err } = await pending;
    expect(code).toBe(130);
    expect(err).toContain(`the run goes on. Follow it with: weaver logs ${RUN_ID} --follow`);
  });

  it('--detach prints the run id and returns', async () => {
    const gateway = new ScriptedGateway(completed, []);
    const { code, out } = await cli(['run', 'content-pipeline', '-d', '--run-id', RUN_ID, '--classification', 'pii,internal'], gateway);
    expect(code).toBe(0);
    expect(out).toBe(`${RUN_ID}\n`);
    expect(gateway.connections).toBe(0);
    expect(gateway.started[0]).toMatchObject({ runId: RUN_ID, classification: ['pii', 'internal'] });
  });
});

describe('weaver logs --follow', () => {
  it('streams NDJSON with --json and exits 1 when the run failed', async () => {
    const script = [[ev('snapshot', { run: baseRun }), ev('step.failed', { step: 'writer', error: 'x' }), ev('run.failed', { step: 'writer', error: 'x' })]];
    const { code, out } = await cli(['logs', RUN_ID, '--follow', '--json'], new ScriptedGateway(failed, script));
    expect(code).toBe(1);
    expect(out.trimEnd().split('\n').map((l) => (JSON.parse(l) as RunEvent).kind)).toEqual(['snapshot', 'step.failed', 'run.failed']);
  });
});

describe('usage and errors', () => {
  const idle = new ScriptedGateway(completed, []);

  it('exits 2 for usage errors, with a suggestion', async () => {
    const { code, err } = await cli(['rnu', 'x'], idle);
    expect(code).toBe(2);
    expect(err).toMatch(/usage error: unknown command 'rnu'[\s\S]*Did you mean run\?/);
    expect((await cli(['run'], idle)).code).toBe(2);
    expect((await cli(['run', 'w', '--run-id', 'abc'], idle)).err).toMatch(/--run-id: must be a UUID, got "abc"/);
  });

  it('prints usage errors as JSON on stdout under --json', async () => {
    const { code, out } = await cli(['runs', '--limit', '0', '--json'], idle);
    expect(code).toBe(2);
    expect(JSON.parse(out)).toMatchObject({ error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/must be a whole number from 1 to 500/) } });
  });

  it('prints one sentence and a hint for a gateway error; JSON under --json', async () => {
    const broken = new ScriptedGateway(completed, []);
    broken.listRuns = () => Promise.reject(new CliError('UNAVAILABLE', 'cannot reach the gateway at http://h:1', 'is `weaver dev` running?'));
    const human = await cli(['runs'], broken);
    expect(human).toEqual({ code: 1, out: '', err: 'error: cannot reach the gateway at http://h:1\nhint: is `weaver dev` running?\n' });
    const json = await cli(['runs', '--json'], broken);
    expect(json.err).toBe('');
    expect(JSON.parse(json.out)).toEqual({ error: { code: 'UNAVAILABLE', message: 'cannot reach the gateway at http://h:1', hint: 'is `weaver dev` running?' } });
  });

  it('reports a bad WEAVER_URL as a usage error naming the variable', async () => {
    const io = memoryIo({ env: { WEAVER_URL: 'localhost:8080' } });
    const code = await runCli(argv('runs'), io);
    expect(code).toBe(2);
    expect(io.stderr.text()).toMatch(/WEAVER_URL: must be an http\(s\) URL/);
  });

  it('shows help with exit codes (exit 0)', async () => {
    const { code, out } = await cli(['--help'], idle);
    expect(code).toBe(0);
    expect(out).toMatch(/Exit codes: 0 ok, 1 the run failed or an error occurred, 2 usage/);
  });
});
