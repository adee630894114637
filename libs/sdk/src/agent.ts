import type { z, ZodType } from 'zod';
import type { CapabilityRef } from './capability';
import type { LlmClient } from './llm';
import { withVerbs, type AgentLlm } from './llm-verbs';
import type { MemoryDeclaration, MemoryOptions } from './memory-config';
import type { AgentMemory } from './memory-types';

/**
 * The event an agent is handed, with the envelope fields an agent may reason about. For a join
 * agent (several `requires`) it is the event that completed the join, and `payload` is the
 * joined input (keyed by event type).
 */
export interface AgentEvent<P = unknown> {
  /** The event's id (unique per run and step; a redelivery has the same id). */
  id: string;
  /** Its event type, e.g. `sales.collected`. */
  type: string;
  /** The tenant the run belongs to. */
  tenantId: string;
  /** The run this event is part of. */
  runId: string;
  /** The workflow's name. */
  workflow: string;
  /** Who published it: `<agent>@<version>`, or the trigger that started the run. */
  producer: string;
  /** Classification labels of the data (the join of everything it was derived from). */
  classification: string[];
  /** The input, validated against the agent's `input` schema. */
  payload: P;
}

/** Per-agent limits (`@agent({ limits })`). */
export interface AgentLimits {
  /** Steps of this agent run at once per process. Default 64. */
  maxConcurrency?: number;
  /** A step taking longer fails (and is retried). Default 60 s. */
  timeoutMs?: number;
}

/** An agent's settings, given to `@agent({...})` or as the plan's class fields. */
export interface AgentConfig {
  /** The agent's name, kebab-case (`sales-analyst`); default: the class name in kebab-case. */
  name: string;
  /** Its version, recorded as the producer of its events (default `1.0.0`). */
  version?: string;
  /** What it does, shown in the registry. */
  description?: string;
  /** What it can do (`Capability('analyze_sales')`), for the registry and routing. */
  capabilities?: CapabilityRef[];
  /**
   * Event types this agent consumes. With several, the agent joins them: it runs once per run,
   * when all have arrived (partial inputs are kept in PostgreSQL, so restarts lose nothing), and
   * `process` receives an object keyed by event type, e.g.
   * `{ "sales.collected": {...}, "targets.set": {...} }`; `input` must then be a `z.object` with
   * exactly those keys, and each part is validated against its field when it arrives.
   */
  requires: string[];
  /**
   * Event types it emits; the first receives the return value of `process` (unless `process`
   * returns `this.publish(...)`). Plan-style agents may leave it out: it is then read from the
   * `this.publish('<type>', ...)` calls in the class's source.
   */
  publishes: string[];
  /** Validates the input before `process` runs; a failure names the field and rule, and the event goes to the DLQ. */
  input?: ZodType;
  /** Validates what `process` returns (and publishes as `publishes[0]`). */
  output?: ZodType;
  /** `Memory({...})`, a preset (`AnalystMemory()`), or the options object itself. Default: `Memory()`. */
  memory?: MemoryDeclaration | MemoryOptions;
  /** Concurrency and timeout of its steps. */
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
  /** `<server>/<tool>`. */
  name: string;
  /** What the tool does, as its server describes it. */
  description: string;
  /** The JSON Schema of its arguments. */
  inputSchema: Record<string, unknown>;
}

/** What a tool call returned (MCP's CallToolResult, unchanged). */
export interface ToolResult {
  /** The answer's content blocks (`{ type: 'text', text }`, images, resources). */
  content: Array<Record<string, unknown>>;
  /** A JSON answer, when the tool declares an output schema. */
  structuredContent?: Record<string, unknown>;
  /** True when the tool answered with an error (`call` then throws ToolFailedError). */
  isError?: boolean;
}

/** `this.tools.run(...)`: the tool-use loop (see `runToolLoop`). */
export interface ToolLoopRequest {
  /** The task, as the first user message. */
  prompt: string;
  /** The system prompt. */
  system?: string;
  /** Bound on model turns; exceeding it fails with ToolLoopBoundError naming the bound. Default 8. */
  maxRounds?: number;
  /** Only these of the granted tools are offered (names or `server/*` patterns); default all granted. */
  tools?: string[];
  /** Preferred model name from config/models.yaml. */
  model?: string;
}

/** What the tool-use loop ended with. */
export interface ToolLoopResult {
  /** The model's final answer. */
  text: string;
  /** Model turns taken. */
  rounds: number;
  /** The tool calls made, in order. */
  calls: Array<{
    /** `<server>/<tool>`. */
    name: string;
    /** The arguments the model gave. */
    arguments: Record<string, unknown>;
    /** True when the tool answered with an error (passed back to the model). */
    isError: boolean;
  }>;
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
  /** The granted tools with their descriptions and input schemas. */
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

// Registered symbols: an agent built on an installed copy of the SDK (a `weaver init` project)
// is bound by the runner's copy, so both must name the step context the same way.
const CONTEXT: unique symbol = Symbol.for('weaver.step-context');
const VERBS: unique symbol = Symbol.for('weaver.step-llm');
const PUBLISHED: unique symbol = Symbol.for('weaver.published');

/**
 * What `this.publish(type, payload)` returns. Returning it from `process`
 * (`return this.publish('research_complete', research)`) says the step's output was published
 * explicitly: the runtime takes `payload` as the step's result and does not publish it again
 * under `publishes[0]`.
 */
export interface Published<T = unknown> {
  /** The event type published. */
  readonly type: string;
  /** What was published: the step's output. */
  readonly payload: T;
  /** Marks a publish (so an output that merely looks like one is not taken for it). */
  readonly [PUBLISHED]: true;
}

/** The publish a step's return value stands for, if it is one (the runtime's check). */
export function publishedOutput(value: unknown): Published | undefined {
  return value !== null && typeof value === 'object' && (value as Partial<Published>)[PUBLISHED] === true ? (value as Published) : undefined;
}

/**
 * The plan's class fields, read once by a bare `@agent` (`requires = ['research_complete']`,
 * `memory = Memory({ semantic: 'large' })`). Declared through a mapped type on an empty base
 * class, so that subclasses can write them as the plan does: under `noImplicitOverride` a
 * member declared in `Agent` itself would need `override` in every agent.
 */
type PlanFields = { [K in 'memory']: AgentMemory } & {
  [K in 'requires' | 'publishes']?: string[];
} & { [K in 'capabilities']?: CapabilityRef[] };
/*
 * `memory`: as a class field, the declaration; inside `process`, the step's memory (the runtime
 * replaces the field when it binds the step). `requires`: none makes the agent its workflow's
 * entry (it gets the run's input). `publishes`: default, the types of its `this.publish('<type>')` calls.
 */
const PlanFieldsBase = class {} as unknown as abstract new () => PlanFields;

/** The type `process` receives for an `Agent<I>`: a zod schema's output type, or `I` itself. */
export type InputOf<I> = I extends ZodType ? z.output<I> : I;
/** The type `process` returns for an `Agent<I, O>`: what a zod schema accepts, or `O` itself. */
export type OutputOf<O> = O extends ZodType ? z.input<O> : O;
/** What a run of an agent's workflow is started with for an `Agent<I>`: a schema's input type (before defaults and transforms). */
export type RunInputOf<I> = I extends ZodType ? z.input<I> : I;
/** What the next agent or the run's caller receives from an `Agent<I, O>`: a schema's output type. */
export type ResultOf<O> = O extends ZodType ? z.output<O> : O;

/** The types an agent class carries (read by `Input`, `Output`, `Workflow` and `testAgent`). */
export interface AgentTypes<I, O> {
  /** What `process` receives. */
  input: InputOf<I>;
  /** What `process` returns. */
  output: OutputOf<O>;
  /** What a run starting at this agent is given. */
  runInput: RunInputOf<I>;
  /** What this agent's step yields to its consumers. */
  result: ResultOf<O>;
}

/**
 * The input type of an agent, for its `process` parameter, inferred from the schema given to
 * `Agent<typeof Schema>` (no type stated twice):
 *
 *   class SalesAnalyst extends Agent<typeof Sales, typeof Analysis> {
 *     async process({ quarter, rows }: Input<this>) { ... }
 *   }
 */
export type Input<A> = A extends TypedAgent ? NonNullable<A['~types']>['input'] : unknown;
/** The output type an agent's `process` must return (see `Input`). */
export type Output<A> = A extends TypedAgent ? NonNullable<A['~types']>['output'] : unknown;

/** Anything carrying agent types (every `Agent`). */
export interface TypedAgent {
  /** See `Agent['~types']`. */
  readonly '~types'?: AgentTypes<unknown, unknown>;
}

/**
 * Base class of every agent. Subclass it, decorate with `@agent({...})` (or a bare `@agent`
 * with the plan's class fields), implement `process`. A new instance handles each step, so
 * other fields are per-step scratch space.
 *
 * `I` and `O` are the input and output: zod schemas (`Agent<typeof Sales, typeof Analysis>`,
 * the same schemas as `@agent({ input, output })`; `process` then takes `Input<this>`) or plain
 * types (`Agent<{ topic: string }>`). `Workflow.run` is typed from its entry and exit agents'.
 */
export abstract class Agent<I = unknown, O = unknown> extends PlanFieldsBase {
  /** Agents are created by the runtime (or `testAgent`), one instance per step. */
  constructor() {
    super();
  }

  /** Type-only (never set at run time): the agent's input and output types, read by `Input`, `Output` and `TypesOf`. */
  declare readonly '~types'?: AgentTypes<I, O>;

  /**
   * One step: the event's payload (validated against the `input` schema) in, the step's output
   * out (validated against `output`, published as `publishes[0]`), or `this.publish(...)`.
   */
  abstract process(input: InputOf<I>): Promise<OutputOf<O> | Published<OutputOf<O>>>;

  /**
   * Return false to decline an event (it is committed as skipped, nothing is published). When
   * every consumer of the event type in the workflow declined it, the run fails naming the step.
   */
  canProcess(_event: AgentEvent<InputOf<I>>): boolean {
    return true;
  }

  /** The model (typed calls) plus the plan's verbs: `await this.llm.research(topic)`. */
  protected get llm(): AgentLlm {
    const self = this as unknown as Bound;
    return (self[VERBS] ??= withVerbs(contextOf(this).llm));
  }
  /** The MCP tools granted to this agent (deny by default). */
  protected get tools(): AgentTools {
    return contextOf(this).tools;
  }
  /** The event this step handles (for a join, the one that completed it). */
  protected get event(): AgentEvent<InputOf<I>> {
    return contextOf(this).event as AgentEvent<InputOf<I>>;
  }
  /**
   * Emit an event in the step's exactly-once transaction. Return what it returns
   * (`return this.publish(type, value)`) to make it the step's output instead of publishing the
   * return value under `publishes[0]`.
   */
  protected publish<T>(type: string, payload: T): Published<T> {
    contextOf(this).publish(type, payload);
    return Object.freeze({ type, payload, [PUBLISHED]: true as const });
  }
}

/** An agent instance with its step's context (kept under registered symbols, see above). */
interface Bound {
  [CONTEXT]?: StepContext;
  [VERBS]?: AgentLlm;
}

function contextOf(agent: object): StepContext {
  const ctx = (agent as Bound)[CONTEXT];
  if (!ctx) throw new Error(`${agent.constructor.name}: llm/memory/tools/publish are only available inside process()`);
  return ctx;
}

/** Binds a step's context to an agent instance before `process` runs (the runtime and `testAgent`). */
export function bindStep(instance: object, ctx: StepContext): void {
  const bound = instance as Bound;
  bound[CONTEXT] = ctx;
  bound[VERBS] = undefined;
  // Replaces a `memory = Memory(...)` field (an own property) with the step's memory.
  Object.defineProperty(instance, 'memory', { value: ctx.memory, writable: true, configurable: true, enumerable: false });
}

// `this.memory` before a step is bound: the declared field if there is one, else a clear error.
// A setter too, so a subclass field compiled as an assignment (rather than a definition) works.
Object.defineProperty(Agent.prototype, 'memory', {
  configurable: true,
  get(this: Agent): never {
    throw new Error(`${this.constructor.name}: llm/memory/tools/publish are only available inside process()`);
  },
  set(this: Agent, value: unknown) {
    Object.defineProperty(this, 'memory', { value, writable: true, configurable: true, enumerable: false });
  },
});

/** Any concrete agent class (structural, so `Agent<SpecificInput>` subclasses fit). */
export type AgentClass = new () => AgentInstance;

/** What every agent instance has: a `process` (its input type is the agent's own). */
export interface AgentInstance {
  /** One step (see `Agent.process`). */
  process(input: never): Promise<unknown>;
}

/** The types an agent class carries, or `unknown`s for a class declared without them. */
export type TypesOf<C> = C extends abstract new () => infer A ? (A extends TypedAgent ? NonNullable<A['~types']> : AgentTypes<unknown, unknown>) : AgentTypes<unknown, unknown>;
