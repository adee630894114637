import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { ValidationError } from '@weaver/errors';
import type { Metrics } from '@weaver/observability';
import { createBreaker, type Breaker } from '@weaver/resilience';
import type { ToolResult } from '@weaver/sdk';
import { nextConnectionState, type ConnectionState } from './connection-state';
import type { DiscoveredServer } from './discovery';
import type { McpServerConfig } from './mcp-config';
import { ToolServerUnavailableError, ToolTimeoutError } from './tool-errors';

export interface ConnectionOptions {
  /** Per-call timeout when the server config sets none. */
  defaultTimeoutMs: number;
  metrics?: Metrics;
}

/** Kept of a stdio server's stderr, to name why it died (never logged wholesale: it may echo secrets). */
const STDERR_TAIL = 2_000;

/**
 * One MCP server: a client of the official SDK over stdio (a child process the runner spawns)
 * or streamable HTTP, a per-call timeout, and an opossum breaker (`mcp:<server>`, via
 * @weaver/resilience) so a dead or hanging server is refused fast instead of holding every step
 * until its timeout. A tool's own error result (isError) or a bad-arguments error is the
 * caller's, not the server's: it does not count against the breaker.
 */
export class McpServerConnection {
  private client?: Client;
  private state: ConnectionState = 'idle';
  private connecting?: Promise<void>;
  private stderrTail = '';
  readonly breaker: Breaker;
  readonly timeoutMs: number;

  constructor(
    readonly name: string,
    private readonly config: McpServerConfig,
    options: ConnectionOptions,
  ) {
    this.timeoutMs = config.timeoutMs ?? options.defaultTimeoutMs;
    this.breaker = createBreaker(`mcp:${name}`, { ...config.breaker, isCallerError: isCallerError }, options.metrics);
  }

  get connectionState(): ConnectionState {
    return this.state;
  }

  /** Connects (initialize handshake bounded by the timeout); concurrent callers share one attempt. */
  connect(): Promise<void> {
    if (this.state === 'ready') return Promise.resolve();
    this.connecting ??= this.open().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  /** Tools, resources and prompts the server offers (all pages); a server that cannot be reached is reported failed. */
  async discover(): Promise<DiscoveredServer> {
    const base = { server: this.name, transport: this.config.transport, tools: [], resources: [], prompts: [] };
    try {
      await this.connect();
      const client = this.client!;
      const caps = client.getServerCapabilities() ?? {};
      const opts = { timeout: this.timeoutMs };
      const tools = caps.tools ? await pages((cursor) => client.listTools({ cursor }, opts), (r) => r.tools) : [];
      const resources = caps.resources ? await pages((cursor) => client.listResources({ cursor }, opts), (r) => r.resources) : [];
      const prompts = caps.prompts ? await pages((cursor) => client.listPrompts({ cursor }, opts), (r) => r.prompts) : [];
      return {
        ...base,
        status: 'ready',
        tools: tools.map((t) => ({ name: `${this.name}/${t.name}`, description: t.description ?? '', inputSchema: t.inputSchema as Record<string, unknown> })),
        resources: resources.map((r) => ({ uri: r.uri, name: r.name, mimeType: r.mimeType ?? '' })),
        prompts: prompts.map((p) => ({ name: p.name, description: p.description ?? '', arguments: (p.arguments ?? []).map((a) => a.name) })),
      };
    } catch (err) {
      return { ...base, status: 'failed', error: err instanceof Error ? err.message : String(err) };
    }
  }

  /** Calls `tool` (the server's own name) through the breaker, reconnecting a failed server first. */
  callTool(tool: string, args: Record<string, unknown>): Promise<ToolResult> {
    const qualified = `${this.name}/${tool}`;
    return this.breaker.run(async () => {
      await this.connect();
      try {
        const result = await this.client!.callTool({ name: tool, arguments: args }, undefined, { timeout: this.timeoutMs });
        return result as ToolResult;
      } catch (err) {
        const failure = this.translate(err, qualified);
        // An HTTP session that broke (server restarted, network gone) reports no close: drop the
        // client, so the next call (once the breaker lets it) connects afresh.
        if (failure instanceof ToolServerUnavailableError) await this.drop();
        throw failure;
      }
    });
  }

  private async drop(): Promise<void> {
    if (this.state !== 'ready') return;
    this.state = nextConnectionState(this.state, 'failed', this.name);
    const client = this.client;
    this.client = undefined;
    await client?.close().catch(() => undefined);
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = nextConnectionState(this.state, 'closed', this.name);
    this.breaker.shutdown();
    await this.client?.close().catch(() => undefined);
  }

  private async open(): Promise<void> {
    this.state = nextConnectionState(this.state, 'connecting', this.name);
    const client = new Client({ name: 'weaver-agent-runner', version: '1.0.0' });
    client.onclose = () => {
      if (this.client === client && this.state === 'ready') this.state = nextConnectionState(this.state, 'failed', this.name);
    };
    try {
      await client.connect(this.transport(), { timeout: this.timeoutMs });
    } catch (err) {
      await client.close().catch(() => undefined);
      if (this.state === 'connecting') this.state = nextConnectionState(this.state, 'failed', this.name);
      throw this.translate(err, `${this.name} (connect)`);
    }
    if (this.state !== 'connecting') {
      await client.close().catch(() => undefined); // closed while connecting
      throw new ToolServerUnavailableError(this.name, 'the toolkit is closed');
    }
    this.client = client;
    this.state = nextConnectionState(this.state, 'ready', this.name);
  }

  private transport(): Transport {
    if (this.config.transport === 'http') {
      return new StreamableHTTPClientTransport(new URL(this.config.url), { requestInit: { headers: this.config.headers } });
    }
    // The SDK passes only a safe default environment (HOME, PATH, USER, ...) plus `env`: the
    // runner's own secrets (database URL, keys) never reach the server process.
    const t = new StdioClientTransport({ command: this.config.command, args: this.config.args, env: this.config.env, cwd: this.config.cwd, stderr: 'pipe' });
    t.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL);
    });
    return t;
  }

  private translate(err: unknown, what: string): Error {
    if (err instanceof McpError && err.code === ErrorCode.RequestTimeout) return new ToolTimeoutError(what, this.timeoutMs);
    if (err instanceof McpError && err.code === ErrorCode.InvalidParams) return new ValidationError([{ field: `tools.${what}`, rule: err.message }], `call of tool "${what}"`);
    if (err instanceof McpError && err.code === ErrorCode.ConnectionClosed) return new ToolServerUnavailableError(this.name, `connection closed${this.lastStderrLine()}`, err);
    if (err instanceof ToolServerUnavailableError || err instanceof ToolTimeoutError) return err;
    const message = err instanceof Error ? err.message : String(err);
    return new ToolServerUnavailableError(this.name, `${message}${this.lastStderrLine()}`, err);
  }

  private lastStderrLine(): string {
    const line = this.stderrTail.trim().split('\n').pop();
    return line ? ` (server stderr: ${line.slice(0, 200)})` : '';
  }
}

/** A caller's mistake (bad arguments, unknown tool), not a sign the server is unhealthy. */
function isCallerError(err: unknown): boolean {
  return err instanceof ValidationError;
}

async function pages<R extends { nextCursor?: string }, T>(list: (cursor?: string) => Promise<R>, items: (r: R) => T[]): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await list(cursor);
    out.push(...items(page));
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}
