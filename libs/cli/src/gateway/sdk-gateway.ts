import { ValidationError, WeaverError } from '@weaver/errors';
import { GatewayError, WeaverClient } from '@weaver/sdk';
import { CliError } from '../cli-error';
import { agentSummaryOf, type AgentSummary, type GatewayApi, type Run, type RunEvent, type StartRunRequest } from './gateway-api';
import { fromGatewayError, unreachable, type RequestContext } from './gateway-error';

export interface SdkGatewayOptions {
  url: string;
  apiKey?: string;
  /** Where the key came from (`--api-key`, WEAVER_API_KEY, .weaver/credentials.json), for advice. */
  apiKeySource?: string;
  /** Limit for one request/answer (not for event streams). Default 30 s. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * `GatewayApi` on the SDK's `WeaverClient` — the one REST client, typed and checked by the
 * routes of @weaver/api-schema — with its errors turned into a sentence and what to do.
 */
export class SdkGateway implements GatewayApi {
  private readonly client: WeaverClient;

  constructor(private readonly options: SdkGatewayOptions) {
    this.client = new WeaverClient({ url: options.url, apiKey: options.apiKey, timeoutMs: options.timeoutMs ?? 30_000, signal: options.signal });
  }

  startRun(request: StartRunRequest): Promise<{ run: Run; created: boolean }> {
    const { workflow, input, ...options } = request;
    return this.advised('POST', '/v1/runs', () => this.client.startRun(workflow, input, options));
  }

  getRun(runId: string): Promise<Run> {
    return this.advised('GET', `/v1/runs/${runId}`, () => this.client.getRun(runId));
  }

  listRuns(limit: number): Promise<Run[]> {
    return this.advised('GET', '/v1/runs', () => this.client.listRuns(limit));
  }

  getResult(runId: string): Promise<unknown> {
    return this.advised('GET', `/v1/runs/${runId}/result`, () => this.client.getResult(runId));
  }

  async listAgents(filter: { capability?: string; requiresEvent?: string } = {}): Promise<AgentSummary[]> {
    return (await this.advised('GET', '/v1/agents', () => this.client.listAgents(filter))).map(agentSummaryOf);
  }

  async *runEvents(runId: string, signal?: AbortSignal): AsyncIterable<RunEvent> {
    const ctx = this.context('GET', `/v1/runs/${runId}/events`);
    try {
      yield* this.client.events(runId, signal);
    } catch (err) {
      if (signal?.aborted || this.options.signal?.aborted) throw err; // Ctrl-C: not a network problem
      const advice = adviceOf(err, ctx);
      // A connection cut mid-stream ends the stream like a close would: the caller reconnects
      // and the next snapshot fills the gap. Refusals and mismatched answers still propagate.
      if (advice.code === 'UNAVAILABLE' && !(err instanceof GatewayError)) return;
      throw advice;
    }
  }

  private async advised<T>(method: string, path: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      if (this.options.signal?.aborted) throw err;
      throw adviceOf(err, this.context(method, path));
    }
  }

  private context(method: string, path: string): RequestContext {
    return { url: this.options.url, method, path, apiKeySource: this.options.apiKeySource };
  }
}

function adviceOf(err: unknown, ctx: RequestContext): CliError {
  if (err instanceof CliError) return err;
  if (err instanceof ValidationError || err instanceof GatewayError) return fromGatewayError(err, ctx);
  if (err instanceof WeaverError && err.code === 'INTERNAL') {
    return new CliError('INTERNAL', err.message, `is ${ctx.url} a Weaver gateway of the same version as this CLI?`);
  }
  return unreachable(ctx, err instanceof WeaverError && err.cause !== undefined ? err.cause : err);
}
