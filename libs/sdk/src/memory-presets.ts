import { ValidationError } from '@weaver/errors';
import { cached, limitsOf, MemoryDeclaration, specFrom, type MemoryOptions } from './memory-config';
import type { MemorySpec } from './memory-types';

/** A role preset: call it for its memory, optionally with overrides (`AnalystMemory({ episodic: '7d' })`). */
export interface MemoryPreset {
  /** The preset's memory, with `overrides` replacing the limits they name. */
  (overrides?: MemoryOptions): MemoryDeclaration;
  /** The preset's name (`AnalystMemory`). */
  readonly presetName: string;
  /** Its validated limits. */
  readonly spec: MemorySpec;
}

/**
 * Defines a role preset: its options are validated now; overrides given when it is used replace
 * the limits they name (whatever spelling either side used), the rest keep the preset's values.
 */
export function definePreset(name: string, options: MemoryOptions): MemoryPreset {
  if (typeof name !== 'string' || !/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) {
    throw new ValidationError([{ field: 'name', rule: `must be an identifier like "AnalystMemory", got ${JSON.stringify(name)}` }], 'definePreset(...)');
  }
  const base = limitsOf(options, `definePreset("${name}", ...)`);
  const preset = (overrides?: MemoryOptions): MemoryDeclaration =>
    new MemoryDeclaration(cached(`${name} ${JSON.stringify(overrides ?? {})}`, () => specFrom(base, limitsOf(overrides, `${name}(...)`))));
  return Object.assign(preset, { presetName: name, spec: specFrom(base) });
}

/** The plan's analyst: 10 GB of long-term memory (`max_long_term_mb: 10240`). */
export const AnalystMemory = definePreset('AnalystMemory', { max_long_term_mb: 10_240 });
/** The plan's coordinator: 1,000 short-term items, to track many agents. */
export const CoordinatorMemory = definePreset('CoordinatorMemory', { max_short_term_items: 1_000 });
