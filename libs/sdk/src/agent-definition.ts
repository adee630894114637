import { z } from 'zod';
import type { AgentClass, AgentConfig } from './agent';

const DEFINITION = Symbol.for('weaver.agent-definition');
const EVENT_TYPE = /^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)*$/;
const AGENT_NAME = /^[a-z][a-z0-9-]*$/;

/** An agent class with its validated configuration: what the runtime and the registry consume. */
export interface AgentDefinition extends Required<Omit<AgentConfig, 'input' | 'output' | 'description'>> {
  description: string;
  input?: z.ZodType;
  output?: z.ZodType;
  agentClass: AgentClass;
  /** JSON Schemas derived from the zod schemas, for the registry's compatibility checks. */
  inputJsonSchema?: Record<string, unknown>;
  outputJsonSchema?: Record<string, unknown>;
}

/** Class decorator: `@agent({ name, requires, publishes, input, ... })`. */
export function agent(config: AgentConfig) {
  return <T extends AgentClass>(cls: T): T => {
    const problems: string[] = [];
    if (!AGENT_NAME.test(config.name)) problems.push(`name: must be kebab-case ([a-z][a-z0-9-]*), got "${config.name}"`);
    if (!config.requires.length) problems.push('requires: must name at least one event type');
    for (const [field, list] of [['requires', config.requires], ['publishes', config.publishes]] as const) {
      list.forEach((t, i) => {
        if (!EVENT_TYPE.test(t)) problems.push(`${field}[${i}]: must be dot-separated lowercase words like "sales.collected", got "${t}"`);
      });
    }
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
      agentClass: cls,
      inputJsonSchema: config.input ? (z.toJSONSchema(config.input) as Record<string, unknown>) : undefined,
      outputJsonSchema: config.output ? (z.toJSONSchema(config.output) as Record<string, unknown>) : undefined,
    };
    Object.defineProperty(cls, DEFINITION, { value: definition, enumerable: false });
    return cls;
  };
}

export function definitionOf(cls: AgentClass): AgentDefinition {
  const def = (cls as unknown as Record<symbol, AgentDefinition | undefined>)[DEFINITION];
  if (!def) throw new Error(`${cls.name} is not an agent: decorate it with @agent({ name, requires, publishes })`);
  return def;
}
