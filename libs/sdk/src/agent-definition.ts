import { z } from 'zod';
import type { AgentClass, AgentConfig } from './agent';
import { toolGrantProblems } from './tool-grants';

const DEFINITION = Symbol.for('weaver.agent-definition');
const EVENT_TYPE = /^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)*$/;
const AGENT_NAME = /^[a-z][a-z0-9-]*$/;

/** An agent class with its validated configuration: what the runtime and the registry consume. */
export interface AgentDefinition extends Required<Omit<AgentConfig, 'input' | 'output' | 'description'>> {
  description: string;
  input?: z.ZodType;
  output?: z.ZodType;
  agentClass: AgentClass;
  /** True when the agent requires several event types: it runs once per run, on all of them. */
  joins: boolean;
  /**
   * JSON Schemas for the registry's compatibility checks: the input as producers must send it
   * (`io: 'input'`, before defaults/transforms), the output as consumers receive it.
   */
  inputJsonSchema?: Record<string, unknown>;
  outputJsonSchema?: Record<string, unknown>;
}

/** Class decorator: `@agent({ name, requires, publishes, input, ... })`. */
export function agent(config: AgentConfig) {
  return <T extends AgentClass>(cls: T): T => {
    const problems = checkConfig(config);
    if (problems.length) throw new Error(`@agent on ${cls.name} is invalid:\n  - ${problems.join('\n  - ')}`);
    const definition: AgentDefinition = {
      name: config.name,
      version: config.version ?? '1.0.0',
      description: config.description ?? '',
      capabilities: config.capabilities ?? [],
      requires: [...config.requires],
      publishes: [...config.publishes],
      input: config.input,
      output: config.output,
      memory: config.memory ?? { kind: 'run' },
      limits: { maxConcurrency: 64, timeoutMs: 60_000, ...config.limits },
      tools: [...(config.tools ?? [])],
      agentClass: cls,
      joins: config.requires.length > 1,
      inputJsonSchema: config.input ? (z.toJSONSchema(config.input, { io: 'input' }) as Record<string, unknown>) : undefined,
      outputJsonSchema: config.output ? (z.toJSONSchema(config.output, { io: 'output' }) as Record<string, unknown>) : undefined,
    };
    Object.defineProperty(cls, DEFINITION, { value: definition, enumerable: false });
    return cls;
  };
}

function checkConfig(config: AgentConfig): string[] {
  const problems: string[] = [];
  if (!AGENT_NAME.test(config.name)) problems.push(`name: must be kebab-case ([a-z][a-z0-9-]*), got "${config.name}"`);
  if (!config.requires.length) problems.push('requires: must name at least one event type');
  for (const [field, list] of [['requires', config.requires], ['publishes', config.publishes]] as const) {
    list.forEach((t, i) => {
      if (!EVENT_TYPE.test(t)) problems.push(`${field}[${i}]: must be dot-separated lowercase words like "sales.collected", got "${t}"`);
    });
    if (new Set(list).size !== list.length) problems.push(`${field}: lists an event type twice`);
  }
  if (config.requires.length > 1 && config.input) {
    // A join's input is keyed by event type, so its schema must say what each part looks like.
    const keys = config.input instanceof z.ZodObject ? Object.keys(config.input.shape).sort() : undefined;
    if (!keys || keys.join('\n') !== [...config.requires].sort().join('\n')) {
      problems.push(`input: an agent requiring several event types gets them keyed by type, so input must be z.object({ ${config.requires.map((t) => `"${t}": ...`).join(', ')} })`);
    }
  }
  for (const [field, value] of [['limits.maxConcurrency', config.limits?.maxConcurrency], ['limits.timeoutMs', config.limits?.timeoutMs]] as const) {
    if (value !== undefined && !(Number.isInteger(value) && value >= 1)) problems.push(`${field}: must be a positive integer, got ${value}`);
  }
  problems.push(...toolGrantProblems(config.tools ?? [], 'tools').map((v) => `${v.field}: ${v.rule}`));
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
  if (!def) throw new Error(`${cls.name} is not an agent: decorate it with @agent({ name, requires, publishes })`);
  return def;
}
