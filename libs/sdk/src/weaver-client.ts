import { UnavailableError, ValidationError, WeaverError, type ErrorCode, type FieldViolation } from '@weaver/errors';
import { clientOptionsFromEnv } from './client-config';
import { RunFailedError, type RunProgress, type RunProgressKind, type RunSummary, type WorkflowRunner } from './run-progress';
import { parseSse } from './sse-parser';

export interface WeaverClientOptions {
  /** The gateway's base URL, e.g. http://127.0.0.1:8080. */
  url: string;
  /** A tenant API key (`wv_...`). */
  apiKey: string;
  /** Consecutive reconnects of a run's event stream before `run` gives up (default 5). */
  maxReconnects?: number;
  /** Retries of a start the gateway answered UNAVAILABLE (its trigger not on Kafka yet) before `run` gives up (default 5). */
  maxStartRetries?: number;
}

const KINDS: ReadonlySet<string> = new Set<RunProgressKind>(['snapshot', 'run.started', 'step.delta', 'step.completed', 'step.failed', 'run.completed', 'run.failed']);

/**
 * The platform over the gateway's REST API (docs/api.md): `run(workflow, input, onProgress)`
 * posts the run and follows its Server-Sent Events until it ends, resolving with the result or
 * rejecting with `RunFailedError` (`.step`, `.runId`). A dropped stream is reopened; the
 * snapshot the gateway sends first covers whatever happened in between.
 */
export class WeaverClient implements WorkflowRunner {
  private readonly base: string;

  constructor(private readonly opts: WeaverClientOptions) {
    this.base = opts.url.replace(/\/+$/, '');
  }

  /** From `WEAVER_URL` + `WEAVER_API_KEY`; undefined when WEAVER_URL is unset. */
  static fromEnv(env?: Record<string, string | undefined>): WeaverClient | undefined {
    const opts = clientOptionsFromEnv(env);
    return opts ? new WeaverClient(opts) : undefined;
  }

  async startRun(workflow: string, input: unknown, options: { runId?: string; classification?: string[] } = {}): Promise<{ run: RunSummary; created: boolean }> {
    return this.request('POST', '/v1/runs', { workflow, input, ...options });
  }

  async getRun(runId: string): Promise<RunSummary> {
    return (await this.request<{ run: RunSummary }>('GET', `/v1/runs/${encodeURIComponent(runId)}`)).run;
  }

  async getResult(runId: string): Promise<unknown> {
    return (await this.request<{ result: unknown }>('GET', `/v1/runs/${encodeURIComponent(runId)}/result`)).result;
  }

  /** One connection to a run's event stream: a snapshot, then each change, until the run ends. */
  async *events(runId: string, signal?: AbortSignal): AsyncGenerator<RunProgress> {
    const res = await this.send('GET', `/v1/runs/${encodeURIComponent(runId)}/events`, undefined, { accept: 'text/event-stream' }, signal);
    if (!res.body) throw new UnavailableError(`GET /v1/runs/${runId}/events: the gateway sent no body`);
    for await (const message of parseSse(res.body)) {
      const body = JSON.parse(message.data) as Partial<RunProgress>;
      const kind = KINDS.has(message.event) ? (message.event as RunProgressKind) : body.kind;
      if (!kind || !KINDS.has(kind)) continue; // an event kind this client does not know yet
      yield { ...body, kind, runId: body.runId ?? runId };
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

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.send(method, path, body, { accept: 'application/json' });
    return (await res.json()) as T;
  }

  private async send(method: string, path: string, body: unknown, headers: Record<string, string>, signal?: AbortSignal): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        method,
        headers: { ...headers, authorization: `Bearer ${this.opts.apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
    } catch (error) {
      throw new UnavailableError(`${method} ${this.base}${path}: ${(error as Error).message}`, { cause: error });
    }
    if (!res.ok) throw await errorOf(res, `${method} ${path}`);
    return res;
  }
}

const CODES: ReadonlySet<string> = new Set<ErrorCode>([
  'INVALID_ARGUMENT', 'NOT_FOUND', 'ALREADY_EXISTS', 'UNAUTHENTICATED', 'PERMISSION_DENIED', 'FAILED_PRECONDITION',
  'RESOURCE_EXHAUSTED', 'UNAVAILABLE', 'DEADLINE_EXCEEDED', 'CONFIG_INVALID', 'INTERNAL',
]);

/** The gateway's error body `{ error: { code, message, details } }` as a typed WeaverError. */
async function errorOf(res: Response, what: string): Promise<WeaverError> {
  const text = await res.text().catch(() => '');
  let parsed: { error?: { code?: string; message?: string; details?: Record<string, unknown> } } = {};
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    // not JSON: a proxy's page or an empty body; fall through to the status
  }
  const e = parsed.error;
  const message = `${what}: ${e?.message ?? (text.slice(0, 200) || `HTTP ${res.status}`)}`;
  const violations = e?.details?.['violations'] as FieldViolation[] | undefined;
  if (e?.code === 'INVALID_ARGUMENT' && Array.isArray(violations)) return new ValidationError(violations, what);
  if (e?.code && CODES.has(e.code)) return new WeaverError(e.code as ErrorCode, message, { details: e.details, retriable: e.code === 'UNAVAILABLE' });
  return res.status >= 500 ? new UnavailableError(message) : new WeaverError('INTERNAL', message, { retriable: false });
}
