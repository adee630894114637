import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, ValidationError } from '@weaver/errors';
import { Agent, agent, clientOptionsFromEnv, RunFailedError, WeaverClient, Workflow, type RunProgress, type RunSummary } from './index';
import { parseSse } from './internal';

/**
 * A real HTTP server on loopback that speaks the gateway's REST + SSE contract (docs/api.md),
 * scripted per test: what the client must cope with is the wire, so the wire is real.
 */
type Route = (req: IncomingMessage, res: ServerResponse, body: string) => unknown;
let server: Server;
let base: string;
let routes: Record<string, Route>;
const seen: Array<{ method: string; url: string; auth: string | undefined; body: string }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization, body });
      const route = routes[`${req.method} ${req.url}`];
      if (!route) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'NOT_FOUND', message: `no route ${req.url}` } }));
        return;
      }
      void route(req, res, body);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});
beforeEach(() => {
  routes = {};
  seen.length = 0;
});

/** Run ids as the gateway makes them (its answers are parsed with the route schemas: a run id is a UUID). */
const R = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const TENANT = '11111111-1111-4111-8111-111111111111';
const NOW = '2026-12-02T10:00:00.000Z';
const runOf = (runId: string, status: RunSummary['status'], extra: Partial<RunSummary> = {}): RunSummary => ({
  runId, tenantId: TENANT, workflow: 'wf', status, input: {}, result: null, error: null, failedStep: null, subjectId: null, classification: [], createdAt: NOW, updatedAt: NOW, steps: [], ...extra,
});
/** An SSE event as the gateway writes it (every RunEvent carries its time). */
const sse = (event: string, data: object): string => `event: ${event}\ndata: ${JSON.stringify({ time: NOW, ...data })}\n\n`;

/** Writes the chunks with a tick between them, so the client really receives them apart. */
async function stream(res: ServerResponse, chunks: string[], end = true): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (const c of chunks) {
    res.write(c);
    await new Promise((r) => setTimeout(r, 5));
  }
  if (end) res.end();
  else res.destroy();
}

describe('parseSse on a real HTTP response', () => {
  it('handles BOM, comments, CRLF split across chunks, multi-line data, ids, retry, and drops an unterminated event', async () => {
    routes['GET /sse'] = (_req, res) =>
      stream(res, ['\ufeff: hello\r', '\nevent: one\r\ndata: {"a":', '1}\r\n\r', '\nid: 7\nretry: 250\ndata: line 1\ndata:line 2\n', '\n', 'event: no-data\n\n', 'data:  spaced\r\r', 'event: cut\ndata: never dispatched']);
    const res = await fetch(`${base}/sse`);
    const got = [];
    for await (const m of parseSse(res.body!)) got.push(m);
    expect(got).toEqual([
      { event: 'one', data: '{"a":1}' },
      { event: 'message', data: 'line 1\nline 2', id: '7', retry: 250 },
      { event: 'message', data: ' spaced', id: '7', retry: 250 },
    ]);
  });
});

describe('WeaverClient', () => {
  const client = () => new WeaverClient({ url: `${base}/`, apiKey: 'wv_test', maxReconnects: 2 });

  it('posts the run, follows its events and resolves with the result from run.completed', async () => {
    routes['POST /v1/runs'] = (_req, res) => res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ run: runOf(R(1), 'pending'), created: true }));
    routes[`GET /v1/runs/${R(1)}/events`] = (_req, res) =>
      stream(res, [
        sse('snapshot', { kind: 'snapshot', runId: R(1), run: runOf(R(1), 'running') }),
        sse('run.started', { kind: 'run.started', runId: R(1) }),
        sse('step.completed', { kind: 'step.completed', runId: R(1), step: 'researcher', agent: 'researcher', durationMs: 12 }),
        ': keep-alive\n\n',
        sse('run.completed', { kind: 'run.completed', runId: R(1), run: runOf(R(1), 'completed', { result: { approved: true } }) }),
      ]);
    const progress: RunProgress[] = [];
    await expect(client().run('content-pipeline', { topic: 'AI Safety' }, (p) => progress.push(p))).resolves.toEqual({ approved: true });
    expect(progress.map((p) => p.kind)).toEqual(['snapshot', 'run.started', 'step.completed', 'run.completed']);
    expect(progress[2]).toMatchObject({ step: 'researcher', durationMs: 12 });
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/v1/runs', auth: 'Bearer wv_test' });
    expect(JSON.parse(seen[0]!.body)).toEqual({ workflow: 'content-pipeline', input: { topic: 'AI Safety' }, runId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });

  it('retries a start answered UNAVAILABLE with the same run id, and gives up on other errors', async () => {
    let posts = 0;
    routes['POST /v1/runs'] = (_req, res) => {
      if (++posts < 3) {
        const error = { code: 'UNAVAILABLE', message: 'run x is recorded (pending) but its trigger was not written to Kafka: broker down' };
        return res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ error }));
      }
      return res.writeHead(202).end(JSON.stringify({ run: runOf(R(5), 'pending'), created: false }));
    };
    routes[`GET /v1/runs/${R(5)}/events`] = (_req, res) => stream(res, [sse('run.completed', { kind: 'run.completed', runId: R(5), run: runOf(R(5), 'completed', { result: 5 }) })]);
    await expect(client().run('wf', { n: 5 })).resolves.toBe(5);
    const ids = seen.filter((s) => s.method === 'POST').map((s) => JSON.parse(s.body).runId);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(1); // one run, started once, whatever the retries

    seen.length = 0;
    routes['POST /v1/runs'] = (_req, res) => res.writeHead(400).end(JSON.stringify({ error: { code: 'INVALID_ARGUMENT', message: 'run request is invalid: input: is required' } }));
    await expect(client().run('wf', undefined)).rejects.toThrow('input: is required');
    expect(seen.filter((s) => s.method === 'POST')).toHaveLength(1);
  });

  it('rejects with RunFailedError naming the step and run', async () => {
    routes['POST /v1/runs'] = (_req, res) => res.writeHead(202).end(JSON.stringify({ run: runOf(R(2), 'pending'), created: true }));
    routes[`GET /v1/runs/${R(2)}/events`] = (_req, res) =>
      stream(res, [sse('snapshot', { kind: 'snapshot', runId: R(2), run: runOf(R(2), 'running') }), sse('run.failed', { kind: 'run.failed', runId: R(2), step: 'writer', error: 'input.facts: Required' })]);
    const error = await client().run('wf', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunFailedError);
    expect(error).toMatchObject({ runId: R(2), step: 'writer', reason: 'input.facts: Required' });
    expect((error as Error).message).toBe(`run ${R(2)} failed at step "writer": input.facts: Required`);
  });

  it('reopens a dropped stream and takes the result from the next snapshot', async () => {
    let connections = 0;
    routes['POST /v1/runs'] = (_req, res) => res.writeHead(202).end(JSON.stringify({ run: runOf(R(3), 'pending'), created: true }));
    routes[`GET /v1/runs/${R(3)}/events`] = (_req, res) => {
      connections++;
      return connections === 1
        ? stream(res, [sse('snapshot', { kind: 'snapshot', runId: R(3), run: runOf(R(3), 'running') })], false)
        : stream(res, [sse('snapshot', { kind: 'snapshot', runId: R(3), run: runOf(R(3), 'completed', { result: 42 }) })]);
    };
    await expect(client().run('wf', {})).resolves.toBe(42);
    expect(connections).toBe(2);
  });

  it('reads the result when run.completed carries no run, and gives up after maxReconnects', async () => {
    routes[`GET /v1/runs/${R(4)}/events`] = (_req, res) => stream(res, [sse('run.completed', { kind: 'run.completed', runId: R(4) })]);
    routes[`GET /v1/runs/${R(4)}/result`] = (_req, res) => res.writeHead(200).end(JSON.stringify({ result: 'from result' }));
    await expect(client().follow(R(4))).resolves.toBe('from result');
    routes[`GET /v1/runs/${R(5)}/events`] = (_req, res) => stream(res, [sse('snapshot', { kind: 'snapshot', runId: R(5), run: runOf(R(5), 'running') })]);
    await expect(client().follow(R(5))).rejects.toMatchObject({ code: 'UNAVAILABLE', message: `the event stream of run ${R(5)} ended before the run did` });
    expect(seen.filter((s) => s.url === `/v1/runs/${R(5)}/events`)).toHaveLength(3);
  });

  it('turns the gateway error body into typed errors', async () => {
    routes['POST /v1/runs'] = (_req, res) =>
      res.writeHead(400).end(JSON.stringify({ error: { code: 'INVALID_ARGUMENT', message: 'bad', details: { violations: [{ field: 'workflow', rule: 'unknown workflow "nope"' }] } } }));
    const error = await client().run('nope', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).violations).toEqual([{ field: 'workflow', rule: 'unknown workflow "nope"' }]);
    await expect(client().getRun('missing')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(new WeaverClient({ url: 'http://127.0.0.1:1', apiKey: 'k' }).getRun('x')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    routes[`GET /v1/runs/${R(7)}`] = (_req, res) => res.writeHead(200).end(JSON.stringify({ run: { ...runOf(R(7), 'running'), status: 'exploded' } }));
    await expect(client().getRun(R(7))).rejects.toThrow(/unexpected answer from the gateway to GET \/v1\/runs\/.*: run\.status: /);
    routes['GET /v1/runs?limit=2'] = (_req, res) => res.writeHead(200).end(JSON.stringify({ runs: [runOf(R(8), 'completed')] }));
    await expect(client().listRuns(2)).resolves.toEqual([runOf(R(8), 'completed')]);
  });

  it('backs workflow.run and workflow.stream once connected', async () => {
    @agent({ name: 'echo', requires: ['echo.in'], publishes: ['echo.out'] })
    class Echo extends Agent {
      async process(input: unknown): Promise<unknown> {
        return input;
      }
    }
    const wf = new Workflow('echo-flow').addAgents(Echo);
    routes['POST /v1/runs'] = (_req, res) => res.writeHead(202).end(JSON.stringify({ run: runOf(R(6), 'pending'), created: true }));
    routes[`GET /v1/runs/${R(6)}/events`] = (_req, res) =>
      stream(res, [sse('run.started', { kind: 'run.started', runId: R(6) }), sse('run.completed', { kind: 'run.completed', runId: R(6), run: runOf(R(6), 'completed', { result: 'done' }) })]);
    Workflow.connect(client());
    await expect(wf.run({ x: 1 })).resolves.toBe('done');
    const kinds: string[] = [];
    const it = wf.stream({ x: 2 });
    for (let next = await it.next(); ; next = await it.next()) {
      if (next.done) {
        expect(next.value).toBe('done');
        break;
      }
      kinds.push(next.value.kind);
    }
    expect(kinds).toEqual(['run.started', 'run.completed']);
    routes[`GET /v1/runs/${R(6)}/events`] = (_req, res) => stream(res, [sse('run.started', { kind: 'run.started', runId: R(6) }), sse('run.failed', { kind: 'run.failed', runId: R(6), step: 'echo', error: 'boom' })]);
    const streamed: string[] = [];
    await expect(
      (async () => {
        for await (const p of wf.stream({})) streamed.push(p.kind);
      })(),
    ).rejects.toMatchObject({ step: 'echo', runId: R(6) });
    expect(streamed).toEqual(['run.started', 'run.failed']);
  });
});

describe('clientOptionsFromEnv', () => {
  it('reads WEAVER_URL and WEAVER_API_KEY, and names what is wrong', () => {
    expect(clientOptionsFromEnv({})).toBeUndefined();
    expect(clientOptionsFromEnv({ WEAVER_URL: 'http://127.0.0.1:8080', WEAVER_API_KEY: 'wv_x' })).toEqual({ url: 'http://127.0.0.1:8080', apiKey: 'wv_x' });
    expect(() => clientOptionsFromEnv({ WEAVER_URL: 'http://127.0.0.1:8080' })).toThrow(ConfigError);
    expect(() => clientOptionsFromEnv({ WEAVER_URL: 'http://127.0.0.1:8080' })).toThrow(/WEAVER_API_KEY: is required when WEAVER_URL is set/);
    expect(() => clientOptionsFromEnv({ WEAVER_URL: 'ftp://x', WEAVER_API_KEY: 'k' })).toThrow(/WEAVER_URL: must be the gateway URL/);
  });
});
