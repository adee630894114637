import { z, type ZodType } from 'zod';
import { ValidationError } from '@weaver/errors';
import { Agent, type AgentClass, type AgentConfig, type Published } from './agent';
import { memorySpecOf } from './memory-config';
import type { MemorySpec } from './memory-types';
import { agentNameOf, entryEventTypeOf, inferPublishes, planFieldsOf, PLAN_FIELDS } from './plan-fields';
import { toolGrantProblems } from './tool-grants';
import { eventPatternProblems, isEventPattern, matchesEventType } from './event-pattern';

const DEFINITION = Symbol.for('weaver.agent-definition');
const EVENT_TYPE = /^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)*$/;
const AGENT_NAME = /^[a-z][a-z0-9-]*$/;

/** An agent class with its validated configuration: what the runtime and the registry consume. */
export interface AgentDefinition extends Required<Omit<AgentConfig, 'input' | 'output' | 'description' | 'memory'>> {
  /** What the agent does (empty when it says nothing). */
  description: string;
  /** The schema its input is validated against, if any. */
  input?: z.ZodType;
  /** The schema its output is validated against, if any. */
  output?: z.ZodType;
  /** The validated memory limits (`Memory()`'s defaults when the agent declares none). */
  memory: MemorySpec;
  /** The decorated class (the runtime makes one instance per step). */
  agentClass: AgentClass;
  /** True when the agent requires several event types: it runs once per run, on all of them. */
  joins: boolean;
  /**
   * JSON Schemas for the registry's compatibility checks: the input as producers must send it
   * (`io: 'input'`, before defaults/transforms), the output as consumers receive it.
   */
  inputJsonSchema?: Record<string, unknown>;
  /** The output's JSON Schema, as consumers receive it (see `inputJsonSchema`). */
  outputJsonSchema?: Record<string, unknown>;
}

/** The options of `@agent({...})`: an `AgentConfig` whose every setting may be left to a class field or a default. */
export type AgentOptions<S extends ZodType = ZodType, R extends ZodType = ZodType> = Partial<Omit<AgentConfig, 'input' | 'output'>> & {
  /** Validates the input before `process` runs (see `AgentConfig.input`). */
  input?: S;
  /** Validates what `process` returns (see `AgentConfig.output`). */
  output?: R;
};

/**
 * An agent class whose `process` fits the schemas given to `@agent({ input, output })`: a
 * class typed `Agent<typeof A>` decorated with `input: B` is refused at compile time.
 */
export type AgentClassFor<S extends ZodType, R extends ZodType> = AgentClass & (new () => SchemaAgent<S, R>);

/** An agent instance whose `process` takes what schema `S` yields and returns what schema `R` accepts. */
export interface SchemaAgent<S extends ZodType, R extends ZodType> {
  /** One step (see `Agent.process`). */
  process(input: z.output<S>): Promise<z.input<R> | Published<z.input<R>>>;
}

/**
 * Class decorator, in two forms:
 * - `@agent({ name, requires, publishes, input, memory, ... })`;
 * - a bare `@agent` (the plan's form), reading the class fields `requires`, `publishes`,
 *   `capabilities` and `memory`; the name is the class name in kebab-case (`DataAnalyst` →
 *   "data-analyst"), `publishes` defaults to the types of the class's `this.publish('<type>')`
 *   calls, and an agent without `requires` is an entry agent: it consumes `<name>.requested`,
 *   the event a run's input is published as.
 * Options and fields combine (each setting in one place only).
 */
export function agent<T extends AgentClass>(cls: T): T;
export function agent<S extends ZodType = ZodType, R extends ZodType = ZodType>(config?: AgentOptions<S, R>): <T extends AgentClassFor<S, R>>(cls: T) => T;
export function agent(arg?: Partial<AgentConfig> | AgentClass) {
  if (typeof arg === 'function') return define(arg, {});
  return <T extends AgentClass>(cls: T): T => define(cls, arg ?? {});
}

function define<T extends AgentClass>(cls: T, options: Partial<AgentConfig>): T {
  const problems: string[] = [];
  const fields = planFieldsOf(cls);
  for (const f of PLAN_FIELDS) {
    if (options[f] !== undefined && fields[f] !== undefined) problems.push(`${f}: declared both in @agent({...}) and as a class field; keep one`);
  }
  const name = options.name ?? agentNameOf(cls.name);
  const requires = options.requires ?? fields.requires ?? [];
  let publishes = options.publishes ?? fields.publishes;
  if (!publishes) {
    const inferred = inferPublishes(cls, Agent);
    if (inferred.computed) problems.push(`publishes: ${cls.name} calls this.publish with a computed event type; declare the types it may publish (publishes = ['...']), since topics are provisioned and the workflow checked before any step runs`);
    publishes = inferred.types;
  }
  const memory = specOrProblem(options.memory ?? fields.memory, problems);
  const config: AgentConfig = {
    ...options,
    name,
    requires: requires.length ? requires : [entryEventTypeOf(name)],
    publishes,
    capabilities: options.capabilities ?? fields.capabilities ?? [],
  };
  problems.push(...checkConfig(config));
  if (problems.length) throw new Error(`@agent on ${cls.name} is invalid:\n  - ${problems.join('\n  - ')}`);
  const definition: AgentDefinition = {
    name,
    version: config.version ?? '1.0.0',
    description: config.description ?? '',
    capabilities: [...(config.capabilities ?? [])],
    requires: [...config.requires],
    publishes: [...config.publishes],
    input: config.input,
    output: config.output,
    memory,
    limits: { maxConcurrency: 64, timeoutMs: 60_000, ...config.limits },
    tools: [...(config.tools ?? [])],
    agentClass: cls,
    joins: config.requires.length > 1,
    inputJsonSchema: config.input ? (z.toJSONSchema(config.input, { io: 'input' }) as Record<string, unknown>) : undefined,
    outputJsonSchema: config.output ? (z.toJSONSchema(config.output, { io: 'output' }) as Record<string, unknown>) : undefined,
  };
  Object.defineProperty(cls, DEFINITION, { value: definition, enumerable: false });
  return cls;
}

/** The memory spec, or the defaults with the Memory problems added to the agent's list. */
function specOrProblem(memory: unknown, problems: string[]): MemorySpec {
  try {
    return memorySpecOf(memory, 'memory');
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    problems.push(...err.violations.map((v) => `memory.${v.field}: ${v.rule}`));
    return memorySpecOf(undefined, 'memory');
  }
}

function checkConfig(config: AgentConfig): string[] {
  const problems: string[] = [];
  if (!AGENT_NAME.test(config.name)) problems.push(`name: must be kebab-case ([a-z][a-z0-9-]*), got "${config.name}"`);
  for (const [field, list] of [['requires', config.requires], ['publishes', config.publishes]] as const) {
    if (!Array.isArray(list)) {
      problems.push(`${field}: must be a list of event types, got ${JSON.stringify(list)}`);
      continue;
    }
    list.forEach((t, i) => {
      // Only `requires` takes patterns (docs/sdk-reference.md "Pattern subscriptions"): what an agent publishes is one type.
      if (field === 'requires' && typeof t === 'string' && isEventPattern(t)) problems.push(...eventPatternProblems(t, `requires[${i}]`).map((v) => `${v.field}: ${v.rule}`));
      else if (typeof t !== 'string' || !EVENT_TYPE.test(t)) problems.push(`${field}[${i}]: must be lowercase words separated by dots, like "sales.collected" or "research_complete"${field === 'requires' ? ', or a pattern like "content.*"' : ''}, got "${t}"`);
    });
    if (new Set(list).size !== list.length) problems.push(`${field}: lists an event type twice`);
  }
  (config.capabilities ?? []).forEach((c, i) => {
    if (!c || c.kind !== 'capability') problems.push(`capabilities[${i}]: must be Capability("<snake_case name>"), got ${JSON.stringify(c)}`);
  });
  if (Array.isArray(config.requires) && Array.isArray(config.publishes)) problems.push(...patternProblems(config.requires, config.publishes));
  if (Array.isArray(config.requires) && config.requires.length > 1 && config.input) {
    // A join's input is keyed by event type, so its schema must say what each part looks like.
    const keys = config.input instanceof z.ZodObject ? Object.keys(config.input.shape).sort() : undefined;
    if (!keys || keys.join('\n') !== [...config.requires].sort().join('\n')) {
      problems.push(`input: an agent requiring several event types gets them keyed by type, so input must be z.object({ ${config.requires.map((t) => `"${t}": ...`).join(', ')} })`);
    }
  }
  for (const [field, value] of [['limits.maxConcurrency', config.limits?.maxConcurrency], ['limits.timeoutMs', config.limits?.timeoutMs]] as const) {
    if (value !== undefined && !(Number.isInteger(value) && value >= 1)) problems.push(`${field}: must be a positive integer, got ${value}`);
  }
  if (config.tools !== undefined && !Array.isArray(config.tools)) problems.push(`tools: must be a list of "<server>/<tool>" or "<server>/*", got ${JSON.stringify(config.tools)}`);
  else problems.push(...toolGrantProblems(config.tools ?? [], 'tools').map((v) => `${v.field}: ${v.rule}`));
  return problems;
}

/** A pattern runs its agent once per matching event, so it cannot be one part of a join, nor match the agent's own output. */
function patternProblems(requires: readonly string[], publishes: readonly string[]): string[] {
  const problems: string[] = [];
  requires.forEach((r, i) => {
    if (typeof r !== 'string' || !isEventPattern(r)) return;
    if (requires.length > 1) problems.push(`requires[${i}]: "${r}" is a pattern, and a pattern cannot be part of a join (an agent requiring several event types); require it alone`);
    publishes.forEach((p, j) => {
      if (typeof p === 'string' && matchesEventType(r, p)) problems.push(`publishes[${j}]: "${p}" matches the agent's own pattern requires[${i}] "${r}", so it would consume its own output`);
    });
  });
  return problems;
}

/**
 * The schema one part of a join must satisfy (the join schema's field for that event type), or
 * the whole input schema for an agent with one required type.
 */
export function partSchemaOf(def: AgentDefinition, eventType: string): z.ZodType | undefined {
  if (!def.input) return undefined;
  if (!def.joins) return def.input;
  return (def.input as z.ZodObject).shape[eventType] as z.ZodType | undefined;
}

export function definitionOf(cls: AgentClass): AgentDefinition {
  const def = (cls as unknown as Record<symbol, AgentDefinition | undefined>)[DEFINITION];
  if (!def) throw new Error(`${cls.name} is not an agent: decorate it with @agent or @agent({ name, requires, publishes })`);
  return def;
}
