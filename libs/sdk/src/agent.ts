import type { ZodType } from 'zod';
import type { CapabilityRef } from './capability';
import type { LlmClient } from './llm';
import type { AgentMemory } from './memory-types';

/**
 * The event an agent is handed, with the envelope fields an agent may reason about. For a join
 * agent (several `requires`) it is the event that completed the join, and `payload` is the
 * joined input (keyed by event type).
 */
export interface AgentEvent<P = unknown> {
  id: string;
  type: string;
  tenantId: string;
  runId: string;
  workflow: string;
  producer: string;
  classification: string[];
  payload: P;
}

export interface AgentLimits {
  /** Steps of this agent run at once per process. Default 64. */
  maxConcurrency?: number;
  /** A step taking longer fails (and is retried). Default 60 s. */
  timeoutMs?: number;
}

export interface MemoryConfig {
  kind: 'none' | 'run' | 'agent';
}

export interface AgentConfig {
  name: string;
  version?: string;
  description?: string;
  capabilities?: CapabilityRef[];
  /**
   * Event types this agent consumes. With several, the agent joins them: it runs once per run,
   * when all have arrived (partial inputs are kept in PostgreSQL, so restarts lose nothing), and
   * `process` receives an object keyed by event type, e.g.
   * `{ "sales.collected": {...}, "targets.set": {...} }`; `input` must then be a `z.object` with
   * exactly those keys, and each part is validated against its field when it arrives.
   */
  requires: string[];
  /** Event types it emits; the first receives the return value of `process`. */
  publishes: string[];
  /** Validates the input before `process` runs; a failure names the field and rule, and the event goes to the DLQ. */
  input?: ZodType;
  /** Validates what `process` returns (and publishes as `publishes[0]`). */
  output?: ZodType;
  memory?: MemoryConfig;
  limits?: AgentLimits;
  /**
   * MCP tools this agent may see and call (deny by default): `"<server>/<tool>"` or
   * `"<server>/*"` for every tool of a server, servers as named in the runner's `mcpServers`
   * config. An admin may grant more per tenant (docs/tools.md).
   */
  tools?: string[];
}


/** A tool as an agent (and the model) sees it: `<server>/<tool>`, its description and JSON Schema input. */
export interface ToolDescription {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

/** What a tool call returned (MCP's CallToolResult, unchanged). */
export interface ToolResult {
  content: Array<Record<string, unknown>>;
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

/** `this.tools.run(...)`: the tool-use loop (see `runToolLoop`). */
export interface ToolLoopRequest {
  prompt: string;
  system?: string;
  /** Bound on model turns; exceeding it fails with ToolLoopBoundError naming the bound. Default 8. */
  maxRounds?: number;
  /** Only these of the granted tools are offered (names or `server/*` patterns); default all granted. */
  tools?: string[];
  model?: string;
}

export interface ToolLoopResult {
  text: string;
  rounds: number;
  calls: Array<{ name: string; arguments: Record<string, unknown>; isError: boolean }>;
}

/**
 * `this.tools`: deny by default — `list`/`describe` show only the tools granted to the agent
 * (its `tools` option, plus the tenant's admin grants), and `call` of any other tool fails
 * with ToolDeniedError naming the tool and the agent.
 */
export interface AgentTools {
  /** Calls `<server>/<tool>`; a tool answering isError fails with ToolFailedError. */
  call(name: string, args: Record<string, unknown>): Promise<ToolResult>;
  /** Names of the granted tools. */
  list(): Promise<string[]>;
  describe(): Promise<ToolDescription[]>;
  /** Model proposes calls → granted tools run → results go back as tool messages, until an answer. */
  run(request: ToolLoopRequest): Promise<ToolLoopResult>;
}

/** What the runtime gives an agent for one step. */
export interface StepContext {
  llm: LlmClient;
  memory: AgentMemory;
  tools: AgentTools;
  event: AgentEvent;
  publish(type: string, payload: unknown): void;
}

const CONTEXT = Symbol('weaver.step-context');

/**
 * Base class of every agent. Subclass it, decorate with `@agent({...})`, implement `process`.
 * A new instance handles each step, so fields are per-step scratch space.
 */
export abstract class Agent<I = unknown, O = unknown> {
  private [CONTEXT]?: StepContext;

  abstract process(input: I): Promise<O>;

  /**
   * Return false to decline an event (it is committed as skipped, nothing is published). When
   * every consumer of the event type in the workflow declined it, the run fails naming the step.
   */
  canProcess(_event: AgentEvent<I>): boolean {
    return true;
  }

  protected get llm(): LlmClient {
    return this.context.llm;
  }
  protected get memory(): AgentMemory {
    return this.context.memory;
  }
  protected get tools(): AgentTools {
    return this.context.tools;
  }
  protected get event(): AgentEvent<I> {
    return this.context.event as AgentEvent<I>;
  }
  /** Emit an extra event (besides the return value) in the same exactly-once transaction. */
  protected publish(type: string, payload: unknown): void {
    this.context.publish(type, payload);
  }

  private get context(): StepContext {
    const ctx = this[CONTEXT];
    if (!ctx) throw new Error(`${this.constructor.name}: llm/memory/tools/publish are only available inside process()`);
    return ctx;
  }

  /** @internal — the runtime binds a step's context before calling process. */
  static bind(instance: Agent<unknown, unknown>, ctx: StepContext): void {
    instance[CONTEXT] = ctx;
  }
}

/** Any concrete agent class (structural, so `Agent<SpecificInput>` subclasses fit). */
export type AgentClass = new () => { process(input: never): Promise<unknown> };
