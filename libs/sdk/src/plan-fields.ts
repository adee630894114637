import type { AgentClass, AgentConfig } from './agent';

/**
 * Plan-style agents (`@agent class Researcher extends Agent { memory = Memory(...); requires = [...] }`):
 * what the class itself declares, to complete the `@agent` options.
 */

/** The class fields `@agent` reads (instance fields, so read from one instance made at decoration). */
export const PLAN_FIELDS = ['requires', 'publishes', 'capabilities', 'memory'] as const;
export type PlanFields = Partial<Pick<AgentConfig, (typeof PLAN_FIELDS)[number]>>;

export function planFieldsOf(cls: AgentClass): PlanFields {
  let probe: Record<string, unknown>;
  try {
    probe = new cls() as unknown as Record<string, unknown>;
  } catch (err) {
    throw new Error(`@agent on ${cls.name}: its constructor must run without a step to read its fields, but threw: ${err instanceof Error ? err.message : String(err)}`);
  }
  const fields: Record<string, unknown> = {};
  for (const f of PLAN_FIELDS) {
    // Own properties only: `memory` on the prototype is the base class's step accessor.
    const d = Object.getOwnPropertyDescriptor(probe, f);
    if (d && 'value' in d && d.value !== undefined) fields[f] = d.value;
  }
  return fields as PlanFields;
}

/** `Researcher` → "researcher", `DataAnalyst` → "data-analyst", `HTTPFetcher` → "http-fetcher". */
export function agentNameOf(className: string): string {
  return className
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

/** The event type an entry agent (no `requires`) consumes: the dispatcher publishes the run's input as it. */
export const entryEventTypeOf = (agentName: string): string => `${agentName}.requested`;

// `this.publish('type'` / "type" / `type` (no ${}); anything else after `this.publish(` is computed.
const PUBLISH_CALL = /\bthis\.publish\(\s*(?:'([^'\\]*)'|"([^"\\]*)"|`([^`\\$]*)`)?/g;

/**
 * The event types a class publishes, read from the literal `this.publish('<type>', ...)` calls in
 * its source (and its superclasses' up to `Agent`), in order of appearance. A computed type can't
 * be known before the step runs, yet topics are provisioned and the workflow graph checked before
 * any step: such a class must declare `publishes`.
 */
export function inferPublishes(cls: AgentClass, base: abstract new () => unknown): { types: string[]; computed: boolean } {
  const types: string[] = [];
  let computed = false;
  for (let c: unknown = cls; typeof c === 'function' && c !== base && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    for (const m of Function.prototype.toString.call(c).matchAll(PUBLISH_CALL)) {
      const literal = m[1] ?? m[2] ?? m[3];
      if (literal === undefined) computed = true;
      else if (!types.includes(literal)) types.push(literal);
    }
  }
  return { types, computed };
}
