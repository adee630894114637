import { UnavailableError, WeaverError } from '@weaver/errors';
import { getRun, getRunResult, listAgents, listRuns, RUN_EVENT_KINDS, runEvents, RunEvent, startRun, type ApiRoute, type RegisteredAgent, type RouteInput, type RouteResponse } from '@weaver/api-schema';
import { clientOptionsFromEnv } from './client-config';
import { errorOf, requestPath, unexpectedAnswer, unreachable } from './gateway-http';
import { RunFailedError, type RunProgress, type RunSummary, type WorkflowRunner } from './run-progress';
import { parseSse } from './sse-parser';

export { GatewayError } from './gateway-http';

/** How a `WeaverClient` reaches the gateway, and how patient it is. */
export interface WeaverClientOptions {
  /** The gateway's base URL, e.g. http://127.0.0.1:8080. */
  url: string;
  /** A tenant API key (`wv_...`); without one the gateway answers 401 to every /v1 route. */
  apiKey?: string;
  /** Consecutive reconnects of a run's event stream before `run` gives up (default 5). */
  maxReconnects?: number;
  /** Retries of a start the gateway answered UNAVAILABLE (its trigger not on Kafka yet) before `run` gives up (default 5). */
  maxStartRetries?: number;
  /** Limit for one request and its answer, not for event streams (default: none). */
  timeoutMs?: number;
  /** Aborts every request of this client (e.g. Ctrl-C in the CLI). */
  signal?: AbortSignal;
}

/** What `startRun` may set besides workflow and input. */
export interface StartRunOptions {
  /** A client-chosen run id (a UUID): starting again with it is idempotent. */
  runId?: string;
  /** The run's data labels (e.g. `['confidential', 'pii']`). */
  classification?: string[];
  /** The person the run is about (export and erasure find the run by it). */
  subjectId?: string;
}

/** What `startRun` answers. */
export interface StartedRun {
  /** The run as recorded. */
  run: RunSummary;
  /** False when the run already existed (the same runId started again). */
  created: boolean;
}

const KINDS: ReadonlySet<string> = new Set(RUN_EVENT_KINDS);
const issuesOf = (error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> }): string =>
  error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');

/**
 * The platform over the gateway's REST API (docs/api.md, GET /openapi.json). Every call is typed
 * from its route in @weaver/api-schema and its answer parsed with that route's response schema,
 * so a mismatched gateway fails here, naming the field, not later in the caller.
 * `run(workflow, input, onProgress)` posts the run and follows its Server-Sent Events until it
 * ends, resolving with the result or rejecting with `RunFailedError` (`.step`, `.runId`). A
 * dropped stream is reopened; the snapshot the gateway sends first covers what happened in between.
 */
export class WeaverClient implements WorkflowRunner {
  private readonly base: string;

  /** A client of the gateway at `opts.url`, calling as the tenant of `opts.apiKey`. */
  constructor(private readonly opts: WeaverClientOptions) {
    this.base = opts.url.replace(/\/+$/, '');
  }

  /** From `WEAVER_URL` + `WEAVER_API_KEY`; undefined when WEAVER_URL is unset. */
  static fromEnv(env?: Record<string, string | undefined>): WeaverClient | undefined {
    const opts = clientOptionsFromEnv(env);
    return opts ? new WeaverClient(opts) : undefined;
  }

  /** Any JSON route of API_ROUTES: `client.call(getQuotas, { params: { tenantId } })`, typed both ways. */
  async call<R extends ApiRoute>(route: R, input: RouteInput<R>): Promise<RouteResponse<R>> {
    const path = requestPath(route, input);
    const what = `${route.method} ${path}`;
    const res = await this.send(route.method, path, (input as { body?: unknown }).body, { accept: 'application/json' }, this.opts.signal, true);
    if (route.response.kind !== 'json') throw unexpectedAnswer(what, 'an event stream route: use events()');
    if (res.status === 204) return undefined as RouteResponse<R>;
    const json: unknown = await res.json().catch(() => undefined);
    const parsed = route.response.schema.safeParse(json);
    if (!parsed.success) throw unexpectedAnswer(what, json === undefined ? 'the answer is not JSON' : issuesOf(parsed.error));
    return parsed.data as RouteResponse<R>;
  }

  /**
   * Starts a run (`POST /v1/runs`) and answers at once with the recorded run; `created` is false
   * when a run with the same `runId` existed (a retry).
   */
  async startRun(workflow: string, input: unknown, options: StartRunOptions = {}): Promise<StartedRun> {
    return this.call(startRun, { body: { workflow, input, ...options } });
  }

  /** The run with its steps (`GET /v1/runs/{runId}`). */
  async getRun(runId: string): Promise<RunSummary> {
    return (await this.call(getRun, { params: { runId } })).run;
  }

  /** The tenant's runs, newest first (without their steps). */
  async listRuns(limit = 50): Promise<RunSummary[]> {
    return (await this.call(listRuns, { query: { limit } })).runs;
  }

  /** The completed run's result (`GET /v1/runs/{runId}/result`; 404 until it completed). */
  async getResult(runId: string): Promise<unknown> {
    return (await this.call(getRunResult, { params: { runId } })).result;
  }

  /** The registered agents with their instances and health (the platform's catalogue). */
  async listAgents(filter: { capability?: string; requiresEvent?: string } = {}): Promise<RegisteredAgent[]> {
    return (await this.call(listAgents, { query: filter })).agents;
  }

  /** One connection to a run's event stream: a snapshot, then each change, until the run ends. */
  async *events(runId: string, signal?: AbortSignal): AsyncGenerator<RouteResponse<typeof runEvents>> {
    const path = requestPath(runEvents, { params: { runId } });
    const res = await this.send('GET', path, undefined, { accept: 'text/event-stream' }, signal ?? this.opts.signal, false);
    if (!res.body) throw new UnavailableError(`GET ${path}: the gateway sent no body`);
    for await (const message of parseSse(res.body)) {
      let data: unknown;
      try {
        data = JSON.parse(message.data);
      } catch {
        throw unexpectedAnswer(`GET ${path}`, `event "${message.event}" data is not JSON`);
      }
      const body = (data ?? {}) as { kind?: unknown };
      const kind = KINDS.has(message.event) ? message.event : body.kind;
      if (typeof kind !== 'string' || !KINDS.has(kind)) continue; // an event kind this client does not know yet
      const parsed = RunEvent.safeParse({ runId, ...body, kind });
      if (!parsed.success) throw unexpectedAnswer(`GET ${path}`, `event "${kind}": ${issuesOf(parsed.error)}`);
      yield parsed.data;
    }
  }

  /**
   * Starts the run under a run id chosen here, so that a start answered UNAVAILABLE (the gateway
   * recorded the run but Kafka did not take its trigger, or the gateway was unreachable) is
   * retried without starting a second run — the gateway repeats the send — then follows it.
   */
  async run(workflow: string, input: unknown, onProgress?: (p: RunProgress) => void): Promise<unknown> {
    const { run } = await this.startRetrying(workflow, input, globalThis.crypto.randomUUID());
    return this.follow(run.runId, onProgress);
  }

  /** Follows a run to its end: the result, or RunFailedError naming the failed step. */
  async follow(runId: string, onProgress?: (p: RunProgress) => void): Promise<unknown> {
    const maxReconnects = this.opts.maxReconnects ?? 5;
    let lastError: unknown;
    for (let failures = 0; failures <= maxReconnects; ) {
      try {
        for await (const p of this.events(runId)) {
          // A change (not just the snapshot every connection starts with) is progress.
          if (p.kind !== 'snapshot') failures = 0;
          onProgress?.(p);
          const run = p.run;
          if (p.kind === 'snapshot' && run?.status === 'completed') return run.result;
          if (p.kind === 'snapshot' && run?.status === 'failed') throw new RunFailedError(runId, run.failedStep ?? 'unknown', run.error ?? 'failed');
          if (p.kind === 'run.failed') throw new RunFailedError(runId, p.step ?? run?.failedStep ?? 'unknown', p.error ?? run?.error ?? 'failed');
          if (p.kind === 'run.completed') return run ? run.result : this.getResult(runId);
        }
        lastError = new UnavailableError(`the event stream of run ${runId} ended before the run did`);
      } catch (error) {
        if (error instanceof RunFailedError || (error instanceof WeaverError && !error.retriable)) throw error;
        lastError = error;
      }
      failures++;
      if (failures <= maxReconnects) await new Promise((r) => setTimeout(r, Math.min(2_000, 100 * 2 ** failures)));
    }
    throw lastError instanceof WeaverError ? lastError : new UnavailableError(`lost the event stream of run ${runId}`, { cause: lastError });
  }

  /** Starts a run, retrying UNAVAILABLE with the same run id: idempotent, and the gateway repeats the trigger's send. */
  private async startRetrying(workflow: string, input: unknown, runId: string): Promise<{ run: RunSummary; created: boolean }> {
    const maxRetries = this.opts.maxStartRetries ?? 5;
    for (let retry = 0; ; retry++) {
      try {
        return await this.startRun(workflow, input, { runId });
      } catch (error) {
        if (!(error instanceof WeaverError && error.code === 'UNAVAILABLE') || retry >= maxRetries) throw error;
        await new Promise((r) => setTimeout(r, Math.min(2_000, 100 * 2 ** (retry + 1))));
      }
    }
  }

  private async send(method: string, path: string, body: unknown, headers: Record<string, string>, signal: AbortSignal | undefined, timed: boolean): Promise<Response> {
    const timeout = timed && this.opts.timeoutMs ? AbortSignal.timeout(this.opts.timeoutMs) : undefined;
    const signals = [signal, timeout].filter((s): s is AbortSignal => s !== undefined);
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        method,
        headers: { ...headers, ...(this.opts.apiKey ? { authorization: `Bearer ${this.opts.apiKey}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: signals.length > 1 ? AbortSignal.any(signals) : signals[0],
      });
    } catch (error) {
      throw unreachable(`${method} ${this.base}${path}`, error);
    }
    if (!res.ok) throw await errorOf(res, `${method} ${path}`);
    return res;
  }
}
