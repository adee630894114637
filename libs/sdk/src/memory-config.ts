import { ValidationError, type FieldViolation } from '@weaver/errors';
import type { AgentMemory, EpisodicMemory, KeyValueMemory, MemorySpec, SemanticMemory } from './memory-types';
import { numberIn, parseCount, parseDuration, parseSize, type Parsed } from './memory-units';
import { nearest } from './nearest-name';

/**
 * `Memory(...)`: the plan's one-line memory declaration, parsed and validated once into the
 * `MemorySpec` the runtime enforces. Every limit has several spellings — the plan's shorthand
 * (`semantic: 'large'`, `episodic: '7d'`), explicit names (`semantic_size`, `episodic_ttl`), the
 * plan's config names (`max_short_term_items`, `max_long_term_mb`, `ttl_minutes`) — each also in
 * camelCase. A limit not given keeps its default (`MEMORY_DEFAULTS`).
 */
export interface MemoryOptions {
  /** Short-term items (shorthand). */
  short_term?: number | string;
  /** Short-term items. */
  short_term_items?: number | string;
  /** Short-term items (the plan's config name). */
  max_short_term_items?: number | string;
  /** Short-term TTL as a duration ("60m"). */
  short_term_ttl?: string;
  /** Short-term TTL in minutes (the plan's `ttl_minutes`). */
  ttl_minutes?: number;
  /** Long-term size (shorthand): "10GB" or small/medium/large. */
  long_term?: string;
  /** Long-term size: "10GB" or small/medium/large. */
  long_term_size?: string;
  /** Long-term size in MB (the plan's config name). */
  max_long_term_mb?: number;
  /** Episodic TTL (shorthand): "7d". */
  episodic?: string;
  /** Episodic TTL: "7d". */
  episodic_ttl?: string;
  /** Episodic experiences kept. */
  episodic_items?: number | string;
  /** Semantic size (shorthand): "10GB" or small/medium/large. */
  semantic?: string;
  /** Semantic size: "10GB" or small/medium/large. */
  semantic_size?: string;
  /** `short_term` in camelCase. */
  shortTerm?: number | string;
  /** `short_term_items` in camelCase. */
  shortTermItems?: number | string;
  /** `max_short_term_items` in camelCase. */
  maxShortTermItems?: number | string;
  /** `short_term_ttl` in camelCase. */
  shortTermTtl?: string;
  /** `ttl_minutes` in camelCase. */
  ttlMinutes?: number;
  /** `long_term` in camelCase. */
  longTerm?: string;
  /** `long_term_size` in camelCase. */
  longTermSize?: string;
  /** `max_long_term_mb` in camelCase. */
  maxLongTermMb?: number;
  /** `episodic_ttl` in camelCase. */
  episodicTtl?: string;
  /** `episodic_items` in camelCase. */
  episodicItems?: number | string;
  /** `semantic_size` in camelCase. */
  semanticSize?: string;
}

type Limit = 'shortTerm.maxItems' | 'shortTerm.ttlMs' | 'longTerm.maxBytes' | 'episodic.ttlMs' | 'episodic.maxItems' | 'semantic.maxBytes';

/** Every accepted field (snake_case; camelCase forms are derived): the limit it sets and its parser. */
const FIELDS: Record<string, { limit: Limit; parse: (v: unknown) => Parsed }> = {
  short_term: { limit: 'shortTerm.maxItems', parse: parseCount },
  short_term_items: { limit: 'shortTerm.maxItems', parse: parseCount },
  max_short_term_items: { limit: 'shortTerm.maxItems', parse: parseCount },
  short_term_ttl: { limit: 'shortTerm.ttlMs', parse: parseDuration },
  ttl_minutes: { limit: 'shortTerm.ttlMs', parse: numberIn('minutes', 60_000) },
  long_term: { limit: 'longTerm.maxBytes', parse: parseSize },
  long_term_size: { limit: 'longTerm.maxBytes', parse: parseSize },
  max_long_term_mb: { limit: 'longTerm.maxBytes', parse: numberIn('MB', 1024 * 1024) },
  episodic: { limit: 'episodic.ttlMs', parse: parseDuration },
  episodic_ttl: { limit: 'episodic.ttlMs', parse: parseDuration },
  episodic_items: { limit: 'episodic.maxItems', parse: parseCount },
  semantic: { limit: 'semantic.maxBytes', parse: parseSize },
  semantic_size: { limit: 'semantic.maxBytes', parse: parseSize },
};
const camel = (snake: string): string => snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const ACCEPTED = new Map(Object.entries(FIELDS).flatMap(([name, f]) => [[name, f], [camel(name), f]] as const));

/**
 * The defaults: the plan's (100 short-term items, 60-minute TTL, 1024 MB long-term), and ours for
 * the kinds the plan gives no number for: episodic 30 days / 10,000 experiences, semantic 1 GB.
 */
export const MEMORY_DEFAULTS: MemorySpec = deepFreeze({
  shortTerm: { maxItems: 100, ttlMs: 60 * 60_000 },
  longTerm: { maxBytes: 1024 * 1024 * 1024 },
  episodic: { ttlMs: 30 * 86_400_000, maxItems: 10_000 },
  semantic: { maxBytes: 1024 * 1024 * 1024 },
});

/** The limits an options object sets (the rest keep their defaults). */
export type Overrides = Partial<Record<Limit, number>>;

/** Parses options into the limits they set; throws a ValidationError listing every bad field. */
export function limitsOf(options: unknown, context: string): Overrides {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ValidationError([{ field: '(options)', rule: `must be an object like { semantic_size: '10GB', episodic_ttl: '7d' }, got ${JSON.stringify(options)}` }], context);
  }
  const violations: FieldViolation[] = [];
  const setBy = new Map<Limit, string>();
  const out: Overrides = {};
  for (const [field, value] of Object.entries(options)) {
    if (value === undefined) continue;
    const spec = ACCEPTED.get(field);
    if (!spec) {
      const guess = nearest(field, [...ACCEPTED.keys()]);
      violations.push({ field, rule: `unknown field${guess ? ` (did you mean "${guess}"?)` : ''}; allowed: ${Object.keys(FIELDS).join(', ')} (or their camelCase forms)` });
      continue;
    }
    const earlier = setBy.get(spec.limit);
    if (earlier) {
      violations.push({ field, rule: `sets the same limit as "${earlier}" (${spec.limit}); give it once` });
      continue;
    }
    setBy.set(spec.limit, field);
    const parsed = spec.parse(value);
    if (parsed.ok) out[spec.limit] = parsed.value;
    else violations.push({ field, rule: parsed.rule });
  }
  if (violations.length) throw new ValidationError(violations, context);
  return out;
}

/** The defaults with the given limits applied, later layers winning. */
export function specFrom(...layers: Overrides[]): MemorySpec {
  const merged: Overrides = Object.assign({}, ...layers);
  const d = MEMORY_DEFAULTS;
  return deepFreeze({
    shortTerm: { maxItems: merged['shortTerm.maxItems'] ?? d.shortTerm.maxItems, ttlMs: merged['shortTerm.ttlMs'] ?? d.shortTerm.ttlMs },
    longTerm: { maxBytes: merged['longTerm.maxBytes'] ?? d.longTerm.maxBytes },
    episodic: { ttlMs: merged['episodic.ttlMs'] ?? d.episodic.ttlMs, maxItems: merged['episodic.maxItems'] ?? d.episodic.maxItems },
    semantic: { maxBytes: merged['semantic.maxBytes'] ?? d.semantic.maxBytes },
  });
}

const outsideStep = (): Error => new Error('this.memory is only available inside process(): the runtime binds the declared memory per step');

/**
 * What `Memory(...)` returns: the validated spec, standing in for `this.memory` until the
 * runtime binds the real memory for a step. It is an `AgentMemory` so that a class field
 * `memory = Memory(...)` keeps `this.memory` typed; used outside a step it throws.
 */
export class MemoryDeclaration implements AgentMemory {
  /**
   * Made by `Memory(...)` and presets.
   * @param spec the validated limits
   */
  constructor(
    /** The validated limits the runtime enforces. */
    readonly spec: MemorySpec,
  ) {}
  /** Only inside a step (throws here). */
  async get<T = unknown>(_key: string): Promise<T | undefined> {
    throw outsideStep();
  }
  /** Only inside a step (throws here). */
  async set(_key: string, _value: unknown): Promise<void> {
    throw outsideStep();
  }
  /** Only inside a step (throws here). */
  get shortTerm(): KeyValueMemory {
    throw outsideStep();
  }
  /** Only inside a step (throws here). */
  get longTerm(): KeyValueMemory {
    throw outsideStep();
  }
  /** Only inside a step (throws here). */
  get episodic(): EpisodicMemory {
    throw outsideStep();
  }
  /** Only inside a step (throws here). */
  get semantic(): SemanticMemory {
    throw outsideStep();
  }
}

// A class field `memory = Memory(...)` runs on every `new`, i.e. on every step: parse each
// distinct option set once. The keys are the option literals of a program, so few; bounded anyway.
const parsedOnce = new Map<string, MemorySpec>();
export function cached(key: string, make: () => MemorySpec): MemorySpec {
  const hit = parsedOnce.get(key);
  if (hit) return hit;
  const spec = make();
  if (parsedOnce.size >= 512) parsedOnce.clear();
  parsedOnce.set(key, spec);
  return spec;
}

/** `Memory({ semantic_size: '10GB', episodic_ttl: '7d' })`, `Memory({ semantic: 'large' })`, `Memory()` (defaults). */
export function Memory(options?: MemoryOptions): MemoryDeclaration {
  return new MemoryDeclaration(cached(`Memory ${JSON.stringify(options ?? {})}`, () => specFrom(limitsOf(options, 'Memory(...)'))));
}

/**
 * @internal — the spec of an agent's `memory` setting: a `Memory(...)`/preset result or a plain
 * options object (validated the same way); absent → the defaults.
 */
export function memorySpecOf(value: unknown, field: string): MemorySpec {
  if (value === undefined) return MEMORY_DEFAULTS;
  if (value instanceof MemoryDeclaration) return value.spec;
  if (typeof value === 'function') {
    const name = (value as { presetName?: string }).presetName ?? value.name;
    throw new ValidationError([{ field: '(options)', rule: `got the function ${name}; call it: ${name}() or ${name}({ ...overrides })` }], field);
  }
  try {
    return specFrom(limitsOf(value, field));
  } catch (err) {
    if (err instanceof ValidationError && value && typeof value === 'object' && 'kind' in value) {
      // The memory: { kind: 'run' | 'agent' | 'none' } of earlier versions: say what replaced it.
      throw new ValidationError([{ field: 'kind', rule: "memory kinds are no longer chosen: every agent has short-term (per run), long-term (per agent), episodic and semantic memory; declare limits with Memory({...})" }], field);
    }
    throw err;
  }
}

function deepFreeze<T extends object>(o: T): T {
  for (const v of Object.values(o)) if (v && typeof v === 'object') deepFreeze(v as object);
  return Object.freeze(o);
}
