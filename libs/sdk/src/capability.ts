/** A named skill an agent offers, used for discovery ("find agents that can analyze_sales"). */
export interface CapabilityRef {
  /** Always `capability` (tells a `Capability(...)` from a plain string in the plan's fields). */
  readonly kind: 'capability';
  /** The skill, snake_case (`analyze_sales`). */
  readonly name: string;
}

const NAME = /^[a-z][a-z0-9_]*$/;

/** Declares a capability, e.g. `Capability('analyze_sales')`; the name must be snake_case. */
export function Capability(name: string): CapabilityRef {
  if (!NAME.test(name)) throw new Error(`Capability("${name}"): name must be snake_case ([a-z][a-z0-9_]*)`);
  return { kind: 'capability', name };
}
