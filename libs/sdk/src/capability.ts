/** A named skill an agent offers, used for discovery ("find agents that can analyze_sales"). */
export interface CapabilityRef {
  readonly kind: 'capability';
  readonly name: string;
}

const NAME = /^[a-z][a-z0-9_]*$/;

export function Capability(name: string): CapabilityRef {
  if (!NAME.test(name)) throw new Error(`Capability("${name}"): name must be snake_case ([a-z][a-z0-9_]*)`);
  return { kind: 'capability', name };
}
