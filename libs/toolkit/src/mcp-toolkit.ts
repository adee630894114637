import { NotFoundError } from '@weaver/errors';
import type { Logger, Metrics } from '@weaver/observability';
import type { ToolDescription, ToolResult } from '@weaver/sdk';
import { splitToolName } from '@weaver/sdk/internal';
import type { DiscoveredServer } from './discovery';
import { DEFAULT_TOOL_CEILING, type McpServersConfig } from './mcp-config';
import type { Level } from '@weaver/governance';
import { McpServerConnection } from './mcp-connection';
import { StepTools, type ToolCallPolicy, type ToolRuntime, type ToolsFactory } from './step-tools';
import type { ToolCallLog, ToolOutcome } from './tool-call-store';
import { NO_ADMIN_GRANTS, type GrantSource } from './tool-grant-store';

export interface ToolkitOptions {
  servers: McpServersConfig;
  /** Where every call is recorded (ToolCallStore in the runner). */
  calls: ToolCallLog;
  /** Admin grants per (tenant, agent); default none (definitions only). */
  grants?: GrantSource;
  /** Per-call timeout of servers that set none (default 30 s). */
  defaultTimeoutMs?: number;
  /** Servers that failed discovery are tried again this often (default 30 s; 0: never). */
  rediscoverEveryMs?: number;
  /** `tool.call` decided by the tenant's policies (the runner's Authorizer); absent: grants alone. */
  policy?: ToolCallPolicy;
  metrics?: Metrics;
  logger?: Logger;
}

/**
 * The MCP servers of one agent-runner: connected and discovered at start (all at once; a server
 * down at start is listed as failed, tried again every `rediscoverEveryMs`, and the runner starts
 * anyway), and `tools(scope)` — each step's `this.tools`.
 */
export class McpToolkit implements ToolRuntime {
  private readonly connections = new Map<string, McpServerConnection>();
  private servers = new Map<string, DiscoveredServer>();
  private tools_: ToolDescription[] = [];
  private timer?: NodeJS.Timeout;
  private readonly grantSource: GrantSource;
  readonly calls: ToolCallLog;
  readonly policy?: ToolCallPolicy;
  private readonly callsTotal?: ReturnType<Metrics['counter']>;
  private readonly duration?: ReturnType<Metrics['histogram']>;

  private constructor(private readonly options: ToolkitOptions) {
    this.calls = options.calls;
    this.policy = options.policy;
    this.grantSource = options.grants ?? NO_ADMIN_GRANTS;
    for (const [name, config] of Object.entries(options.servers.mcpServers)) {
      this.connections.set(name, new McpServerConnection(name, config, { defaultTimeoutMs: options.defaultTimeoutMs ?? 30_000, metrics: options.metrics }));
    }
    this.callsTotal = options.metrics?.counter('weaver_tool_calls_total', 'MCP tool calls by server and outcome (replayed: answered from the record)', ['server', 'outcome', 'replayed']);
    this.duration = options.metrics?.histogram('weaver_tool_call_duration_seconds', 'MCP tool call duration', ['server']);
  }

  static async start(options: ToolkitOptions): Promise<McpToolkit> {
    const toolkit = new McpToolkit(options);
    await toolkit.discover([...toolkit.connections.keys()]);
    const every = options.rediscoverEveryMs ?? 30_000;
    if (every > 0 && toolkit.connections.size) {
      toolkit.timer = setInterval(() => void toolkit.discover(toolkit.failedServers()), every);
      toolkit.timer.unref();
    }
    return toolkit;
  }

  /** Each step's `this.tools`. */
  readonly tools: ToolsFactory = (scope) => new StepTools(this, scope);

  /** What every server offers (what the runner reports to the registry). */
  discovered(): DiscoveredServer[] {
    return [...this.servers.values()];
  }

  catalogue(): readonly ToolDescription[] {
    return this.tools_;
  }

  ceilingOf(qualified: string): Level {
    const server = splitToolName(qualified)?.server;
    return (server !== undefined && this.options.servers.mcpServers[server]?.maxClassification) || DEFAULT_TOOL_CEILING;
  }

  adminGrants(tenantId: string, agent: string): Promise<readonly string[]> {
    return this.grantSource.adminGrants(tenantId, agent);
  }

  invoke(qualified: string, args: Record<string, unknown>): Promise<ToolResult> {
    const parts = splitToolName(qualified);
    const connection = parts && this.connections.get(parts.server);
    if (!parts || !connection) return Promise.reject(new NotFoundError('MCP server', `"${parts?.server ?? qualified}" (of tool ${qualified}; configured: ${[...this.connections.keys()].join(', ') || 'none'})`));
    return connection.callTool(parts.tool, args);
  }

  observe(tool: string, outcome: ToolOutcome, durationMs: number, replayed: boolean): void {
    const server = splitToolName(tool)?.server ?? '';
    this.callsTotal?.inc({ server, outcome, replayed: String(replayed) });
    if (!replayed && outcome !== 'denied') this.duration?.observe({ server }, durationMs / 1000);
  }

  /** The connection of a server (breaker state, tests). */
  connection(server: string): McpServerConnection | undefined {
    return this.connections.get(server);
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await Promise.all([...this.connections.values()].map((c) => c.close()));
  }

  private failedServers(): string[] {
    return [...this.servers.values()].filter((s) => s.status === 'failed').map((s) => s.server);
  }

  private async discover(names: string[]): Promise<void> {
    const found = await Promise.all(names.map((n) => this.connections.get(n)!.discover()));
    for (const server of found) {
      this.servers.set(server.server, server);
      if (server.status === 'failed') this.options.logger?.warn({ server: server.server, error: server.error }, 'MCP server unavailable at discovery; its tools are not offered until it answers');
    }
    this.servers = new Map([...this.servers.entries()].sort(([a], [b]) => a.localeCompare(b)));
    this.tools_ = [...this.servers.values()].flatMap((s) => s.tools.map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema })));
  }
}

/** No MCP servers configured: nothing is listed, and any call fails naming the tool and the agent. */
export function noTools(): ToolsFactory {
  return (scope) =>
    new StepTools(
      {
        catalogue: () => [],
        ceilingOf: () => DEFAULT_TOOL_CEILING,
        adminGrants: async () => [],
        invoke: async (name) => {
          throw new NotFoundError('tool', `${name} (no MCP servers are configured)`);
        },
        calls: { recorded: async () => new Map(), record: async () => undefined },
        observe: () => undefined,
      },
      scope,
    );
}
