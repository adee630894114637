import { z } from '@weaver/config';
import { parseSse } from '@weaver/sdk/internal';
import { CliError } from '../cli-error';
import type { AgentSummary, GatewayApi, Run, RunEvent, StartRunRequest } from './gateway-api';
import { fromErrorAnswer, unreachable, type RequestContext } from './gateway-error';
import { getRunAnswer, listAgentsAnswer, listRunsAnswer, resultAnswer, runEventSchema, startRunAnswer } from './gateway-schemas';

export interface HttpGatewayOptions {
  url: string;
  apiKey?: string;
  apiKeySource?: string;
  /** Limit for one request/answer (not for event streams). Default 30 s. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** `GatewayApi` over the gateway's REST + SSE routes (docs/api.md), with Node's fetch. */
export class HttpGateway implements GatewayApi {
  constructor(private readonly options: HttpGatewayOptions) {}

  async startRun(request: StartRunRequest): Promise<{ run: Run; created: boolean }> {
    return this.call('POST', '/v1/runs', startRunAnswer, request);
  }

  async getRun(runId: string): Promise<Run> {
    return (await this.call('GET', `/v1/runs/${encodeURIComponent(runId)}`, getRunAnswer)).run;
  }

  async listRuns(limit: number): Promise<Run[]> {
    return (await this.call('GET', `/v1/runs?limit=${limit}`, listRunsAnswer)).runs;
  }

  async getResult(runId: string): Promise<unknown> {
    return (await this.call('GET', `/v1/runs/${encodeURIComponent(runId)}/result`, resultAnswer)).result;
  }

  async listAgents(filter: { capability?: string; requiresEvent?: string } = {}): Promise<AgentSummary[]> {
    const query = new URLSearchParams(Object.entries(filter).filter((e): e is [string, string] => typeof e[1] === 'string')).toString();
    return (await this.call('GET', `/v1/agents${query ? `?${query}` : ''}`, listAgentsAnswer)).agents;
  }

  async *runEvents(runId: string, signal?: AbortSignal): AsyncIterable<RunEvent> {
    const path = `/v1/runs/${encodeURIComponent(runId)}/events`;
    const res = await this.send('GET', path, undefined, { accept: 'text/event-stream' }, signal, false);
    if (!res.body) return;
    try {
      for await (const message of parseSse(res.body)) {
        let json: unknown;
        try {
          json = JSON.parse(message.data);
        } catch {
          throw this.unexpected('GET', path, `event "${message.event}" data is not JSON`);
        }
        const parsed = runEventSchema.safeParse(json);
        if (!parsed.success) throw this.unexpected('GET', path, issues(parsed.error));
        yield { ...parsed.data, kind: parsed.data.kind || message.event };
      }
    } catch (err) {
      // A connection cut mid-stream ends the stream like a close would: the caller reconnects
      // and the next snapshot fills the gap. Our own errors and Ctrl-C still propagate.
      if (err instanceof CliError || signal?.aborted) throw err;
    }
  }

  private async call<S extends z.ZodType>(method: string, path: string, schema: S, body?: unknown): Promise<z.infer<S>> {
    const res = await this.send(method, path, body, { accept: 'application/json' }, this.options.signal, true);
    const json: unknown = await res.json().catch(() => undefined);
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw this.unexpected(method, path, json === undefined ? 'the answer is not JSON' : issues(parsed.error));
    return parsed.data;
  }

  private async send(method: string, path: string, body: unknown, headers: Record<string, string>, signal: AbortSignal | undefined, timed: boolean): Promise<Response> {
    const ctx = this.context(method, path);
    const signals = [signal, timed ? AbortSignal.timeout(this.options.timeoutMs ?? 30_000) : undefined].filter((s): s is AbortSignal => s !== undefined);
    let res: Response;
    try {
      res = await fetch(this.options.url + path, {
        method,
        headers: {
          ...headers,
          ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: signals.length ? AbortSignal.any(signals) : undefined,
      });
    } catch (err) {
      if (signal?.aborted) throw err; // the user pressed Ctrl-C: not a network problem
      throw unreachable(ctx, err);
    }
    if (res.status >= 400) {
      const answer: unknown = await res.json().catch(() => undefined);
      throw fromErrorAnswer(res.status, answer, ctx);
    }
    return res;
  }

  private context(method: string, path: string): RequestContext {
    return { url: this.options.url, method, path, apiKeySource: this.options.apiKeySource };
  }

  private unexpected(method: string, path: string, detail: string): CliError {
    return new CliError('INTERNAL', `unexpected answer from the gateway (${method} ${path}): ${detail}`, `is ${this.options.url} a Weaver gateway of the same version as this CLI?`);
  }
}

function issues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}
