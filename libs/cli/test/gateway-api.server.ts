import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Run, RunEvent } from '../src/gateway/gateway-api';

/**
 * An HTTP server speaking the gateway routes the CLI uses, as @weaver/api-schema declares them
 * (auth, error bodies, SSE with a snapshot first), to drive the real `weaver` binary in
 * integration tests. Runs advance on timers through scripted steps. It stands in for the
 * gateway only; the full stack (gateway, Kafka, agents) is covered by the lead's e2e test.
 */
export interface ScriptedWorkflow {
  steps: Array<{ agent: string; durationMs: number; fails?: string }>;
  result: (input: Record<string, unknown>) => unknown;
  /** Input fields that must be non-empty strings (checked like the gateway's validation). */
  requiredText?: string[];
  /**
   * Cut the first event stream of each run after its first step event (a dropped connection),
   * and hold the later steps until the client has reconnected, so the reconnect is what the
   * test sees, not a race between the client's backoff and the step timers.
   */
  dropFirstStream?: boolean;
  /** Hold each run before its first step until the test calls `release(runId)`. */
  gated?: boolean;
}

export interface GatewayApiServer {
  url: string;
  /** Requests seen, as "METHOD path". */
  requests: string[];
  /** Resolves once a client has an event stream of the run open. */
  streamOpened(runId: string): Promise<void>;
  /** Lets a gated run start its steps. */
  release(runId: string): void;
  close(): Promise<void>;
}

export async function startGatewayApiServer(apiKey: string, workflows: Record<string, ScriptedWorkflow>, agents: unknown[]): Promise<GatewayApiServer> {
  const runs = new Map<string, Run>();
  const events = new EventEmitter();
  const streamsOpened = new Map<string, number>();
  const gates = new Map<string, () => void>();
  const requests: string[] = [];
  const now = () => new Date().toISOString();

  const emit = (run: Run, event: Omit<RunEvent, 'runId' | 'time'>) => events.emit(run.runId, { ...event, runId: run.runId, time: now() });
  const advance = (run: Run, wf: ScriptedWorkflow, index: number) => {
    const step = wf.steps[index];
    if (!step) {
      Object.assign(run, { status: 'completed', result: wf.result(run.input as Record<string, unknown>), updatedAt: now() });
      return emit(run, { kind: 'run.completed', run });
    }
    if (wf.dropFirstStream && index > 0 && (streamsOpened.get(run.runId) ?? 0) < 2) {
      return void events.once(`stream:${run.runId}`, () => advance(run, wf, index));
    }
    const startedAt = now();
    setTimeout(() => {
      const finishedAt = now();
      const record = { step: step.agent, agent: step.agent, attempt: 1, startedAt, finishedAt, durationMs: Date.parse(finishedAt) - Date.parse(startedAt) };
      if (step.fails) {
        run.steps.push({ ...record, status: 'failed' });
        Object.assign(run, { status: 'failed', error: step.fails, failedStep: step.agent, updatedAt: finishedAt });
        emit(run, { kind: 'step.failed', step: step.agent, agent: step.agent, error: step.fails });
        return emit(run, { kind: 'run.failed', step: step.agent, error: step.fails, run });
      }
      run.steps.push({ ...record, status: 'completed' });
      run.updatedAt = finishedAt;
      emit(run, { kind: 'step.completed', step: step.agent, agent: step.agent, durationMs: record.durationMs });
      advance(run, wf, index + 1);
    }, step.durationMs);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    const key = req.headers['x-api-key'] ?? req.headers.authorization?.replace(/^Bearer /, '');
    if (key !== apiKey) return fail(res, 401, 'UNAUTHENTICATED', 'a valid API key is required');
    const parts = url.pathname.split('/').filter(Boolean); // v1, runs, :id, events|result
    if (req.method === 'POST' && url.pathname === '/v1/runs') {
      const body = JSON.parse((await readBody(req)) || '{}') as { workflow?: unknown; input?: Record<string, unknown>; runId?: string };
      if (typeof body.workflow !== 'string') return fail(res, 400, 'INVALID_ARGUMENT', 'request is invalid', [{ field: 'workflow', rule: 'must be a string' }]);
      const wf = workflows[body.workflow];
      if (!wf) return fail(res, 404, 'NOT_FOUND', `workflow ${body.workflow} not found`);
      const missing = (wf.requiredText ?? []).filter((f) => typeof body.input?.[f] !== 'string' || body.input[f] === '');
      if (missing.length) return fail(res, 400, 'INVALID_ARGUMENT', 'input is invalid', missing.map((f) => ({ field: `input.${f}`, rule: 'must be a non-empty string' })));
      const existing = body.runId ? runs.get(body.runId) : undefined;
      if (existing) return json(res, 202, { run: withoutSteps(existing), created: false });
      const at = now();
      const run: Run = { runId: body.runId ?? randomUUID(), tenantId: TENANT_ID, workflow: body.workflow, status: 'running', input: body.input ?? {}, result: null, error: null, failedStep: null, subjectId: null, classification: [], createdAt: at, updatedAt: at, steps: [] };
      runs.set(run.runId, run);
      // The first step starts on the next tick, so a client can connect before anything happens.
      const begin = () => (emit(run, { kind: 'run.started' }), advance(run, wf, 0));
      if (wf.gated) gates.set(run.runId, begin);
      else setImmediate(begin);
      return json(res, 202, { run: withoutSteps(run), created: true });
    }
    if (req.method === 'GET' && url.pathname === '/v1/runs') {
      const limit = Number(url.searchParams.get('limit') ?? 50);
      return json(res, 200, { runs: [...runs.values()].reverse().slice(0, limit).map(withoutSteps) });
    }
    if (req.method === 'GET' && url.pathname === '/v1/agents') return json(res, 200, { agents });
    const run = parts[0] === 'v1' && parts[1] === 'runs' && parts[2] ? runs.get(parts[2]) : undefined;
    if (req.method === 'GET' && parts.length >= 3 && parts[1] === 'runs') {
      if (!run) return fail(res, 404, 'NOT_FOUND', `run ${parts[2]} not found`);
      if (parts.length === 3) return json(res, 200, { run });
      if (parts[3] === 'result') return run.status === 'completed' ? json(res, 200, { result: run.result }) : fail(res, 404, 'NOT_FOUND', `run ${run.runId} has no result yet`);
      if (parts[3] === 'events') return stream(run, req, res);
    }
    return fail(res, 404, 'NOT_FOUND', `no route ${req.method} ${url.pathname}`);
  };

  const stream = (run: Run, req: IncomingMessage, res: ServerResponse): void => {
    const opened = (streamsOpened.get(run.runId) ?? 0) + 1;
    streamsOpened.set(run.runId, opened);
    events.emit(`stream:${run.runId}`);
    const dropAfterFirstStep = opened === 1 && workflows[run.workflow]?.dropFirstStream === true;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write(': stream open\n\n');
    const send = (e: RunEvent) => res.write(`event: ${e.kind}\ndata: ${JSON.stringify(e)}\n\n`);
    send({ kind: 'snapshot', runId: run.runId, run: structuredClone(run), time: now() });
    if (run.status === 'completed' || run.status === 'failed') return void res.end();
    // A slow client (a loaded machine) may connect after the first step finished: its snapshot
    // already has that step, and the held later steps wait for the reconnect — so cut it now.
    if (dropAfterFirstStep && run.steps.length > 0) return void res.destroy();
    const onEvent = (e: RunEvent) => {
      send(e);
      if (dropAfterFirstStep && e.kind.startsWith('step.')) return void (events.off(run.runId, onEvent), res.destroy());
      if (e.kind === 'run.completed' || e.kind === 'run.failed') {
        events.off(run.runId, onEvent);
        res.end();
      }
    };
    events.on(run.runId, onEvent);
    req.on('close', () => events.off(run.runId, onEvent));
  };

  const server = createServer((req, res) => void handle(req, res).catch((err: Error) => fail(res, 500, 'INTERNAL', err.message)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    streamOpened: (runId) => (streamsOpened.has(runId) ? Promise.resolve() : new Promise((resolve) => events.once(`stream:${runId}`, () => resolve()))),
    release: (runId) => gates.get(runId)?.(),
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

/** The fake gateway's one tenant. */
const TENANT_ID = '11111111-1111-4111-8111-111111111111';
/** Lists show runs without their steps, as the gateway does. */
const withoutSteps = (run: Run): Run => ({ ...run, steps: [] });

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function fail(res: ServerResponse, status: number, code: string, message: string, violations?: Array<{ field: string; rule: string }>): void {
  json(res, status, { error: { code, message, details: violations ? { violations } : {} } });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (text += c));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}
