import { allowedValues, deepEqual, numberAt, typeOfValue, type JsonSchemaObject, type JsonType } from './json-schema';
import { violation, type Comparer } from './comparer';
import type { SchemaViolation } from './schema-violation';

/**
 * Value-level rules: enums/consts, numeric bounds and multiples, string length, pattern and
 * format. A reader may relax any of them (widening); tightening one refuses data the writer allows.
 */
interface Bound {
  readonly value: number;
  readonly exclusive: boolean;
}
type Side = 'lower' | 'upper';

function bound(schema: JsonSchemaObject, side: Side, inclusiveKey: string, exclusiveKey?: string): Bound | undefined {
  const inclusive = numberAt(schema, inclusiveKey);
  const exclusiveRaw = exclusiveKey === undefined ? undefined : schema[exclusiveKey];
  // Draft 4 spells exclusivity as a boolean modifier of minimum/maximum.
  const fromInclusive = inclusive === undefined ? undefined : { value: inclusive, exclusive: exclusiveRaw === true };
  const fromExclusive = typeof exclusiveRaw === 'number' ? { value: exclusiveRaw, exclusive: true } : undefined;
  if (fromInclusive === undefined || fromExclusive === undefined) return fromInclusive ?? fromExclusive;
  return tighter(fromInclusive, fromExclusive, side) ? fromInclusive : fromExclusive;
}

/** True when `a` excludes something `b` admits (a is the tighter bound on this side). */
function tighter(a: Bound, b: Bound | undefined, side: Side): boolean {
  if (b === undefined) return true;
  if (a.value === b.value) return a.exclusive && !b.exclusive;
  return side === 'lower' ? a.value > b.value : a.value < b.value;
}

function show(b: Bound | undefined, side: Side, what: string): string {
  if (b === undefined) return `any ${what}`;
  return `${what} ${side === 'lower' ? (b.exclusive ? '>' : '>=') : b.exclusive ? '<' : '<='} ${b.value}`;
}

/** Compares one pair of bounds keywords, e.g. minLength/maxLength, as a lower and an upper bound. */
export function boundRules(
  c: Comparer,
  w: JsonSchemaObject,
  r: JsonSchemaObject,
  path: string,
  what: string,
  keys: { min: string; max: string; exclusiveMin?: string; exclusiveMax?: string },
): SchemaViolation[] {
  const out: SchemaViolation[] = [];
  for (const side of ['lower', 'upper'] as const) {
    const [inc, exc] = side === 'lower' ? [keys.min, keys.exclusiveMin] : [keys.max, keys.exclusiveMax];
    const rb = bound(r, side, inc, exc);
    const wb = bound(w, side, inc, exc);
    if (rb !== undefined && tighter(rb, wb, side)) {
      out.push(violation(path, 'constraint-tightened', `${c.labels.reader} requires ${show(rb, side, what)} but ${c.labels.writer} allows ${show(wb, side, what)}`));
    }
  }
  return out;
}

export function enumRules(c: Comparer, w: JsonSchemaObject, r: JsonSchemaObject, path: string, shared: Set<JsonType>): SchemaViolation[] {
  const rValues = allowedValues(r);
  if (rValues === undefined) return [];
  const wValues = allowedValues(w);
  if (wValues === undefined) {
    return [violation(path, 'enum-narrowed', `${c.labels.reader} accepts only ${list(rValues)} but ${c.labels.writer} allows any ${[...shared].join('/')}`)];
  }
  const lost = wValues.filter((v) => shared.has(typeOfValue(v)) && !rValues.some((x) => deepEqual(v, x)));
  if (lost.length === 0) return [];
  return [violation(path, 'enum-narrowed', `${c.labels.writer} allows ${list(lost)}, which ${c.labels.reader} no longer accepts`)];
}

export function numberRules(c: Comparer, w: JsonSchemaObject, r: JsonSchemaObject, path: string, integersOnly: boolean): SchemaViolation[] {
  const out = boundRules(c, w, r, path, 'value', { min: 'minimum', max: 'maximum', exclusiveMin: 'exclusiveMinimum', exclusiveMax: 'exclusiveMaximum' });
  const rStep = numberAt(r, 'multipleOf');
  if (rStep !== undefined) {
    const wStep = numberAt(w, 'multipleOf') ?? (integersOnly ? 1 : undefined);
    const ratio = wStep === undefined ? NaN : wStep / rStep;
    if (!(Math.abs(ratio - Math.round(ratio)) < 1e-9 && Math.round(ratio) >= 1)) {
      out.push(violation(path, 'constraint-tightened', `${c.labels.reader} requires multiples of ${rStep} but ${c.labels.writer} allows ${wStep === undefined ? 'any number' : `multiples of ${wStep}`}`));
    }
  }
  return out;
}

export function stringRules(c: Comparer, w: JsonSchemaObject, r: JsonSchemaObject, path: string): SchemaViolation[] {
  const out = boundRules(c, w, r, path, 'length', { min: 'minLength', max: 'maxLength' });
  // Regular-expression inclusion is undecidable in general: only an identical pattern is safe.
  for (const keyword of ['pattern', 'format'] as const) {
    const rv = r[keyword];
    if (typeof rv === 'string' && w[keyword] !== rv) {
      const wv = w[keyword];
      out.push(violation(path, 'constraint-tightened', `${c.labels.reader} requires ${keyword} ${JSON.stringify(rv)} but ${c.labels.writer} ${typeof wv === 'string' ? `uses ${JSON.stringify(wv)}` : `has no ${keyword}`}`));
    }
  }
  return out;
}

/** A writer with a finite value set is compatible when each value passes the reader's scalar constraints. */
export function valueRules(c: Comparer, values: readonly unknown[], r: JsonSchemaObject, path: string): SchemaViolation[] {
  const out: SchemaViolation[] = [];
  for (const value of values) {
    const problem = scalarProblem(value, r);
    if (problem !== undefined) out.push(violation(path, 'constraint-tightened', `${c.labels.writer} allows ${JSON.stringify(value)}, which ${c.labels.reader} rejects (${problem})`));
  }
  return out;
}

function scalarProblem(value: unknown, r: JsonSchemaObject): string | undefined {
  if (typeof value === 'string') {
    const len = [...value].length;
    const min = numberAt(r, 'minLength');
    const max = numberAt(r, 'maxLength');
    if (min !== undefined && len < min) return `minLength ${min}`;
    if (max !== undefined && len > max) return `maxLength ${max}`;
    const pattern = r['pattern'];
    if (typeof pattern === 'string' && !safeTest(pattern, value)) return `pattern ${JSON.stringify(pattern)}`;
  }
  if (typeof value === 'number') {
    const lower = bound(r, 'lower', 'minimum', 'exclusiveMinimum');
    const upper = bound(r, 'upper', 'maximum', 'exclusiveMaximum');
    if (lower !== undefined && (value < lower.value || (lower.exclusive && value === lower.value))) return show(lower, 'lower', 'value');
    if (upper !== undefined && (value > upper.value || (upper.exclusive && value === upper.value))) return show(upper, 'upper', 'value');
  }
  return undefined;
}

function safeTest(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(value);
  } catch {
    return false;
  }
}

function list(values: readonly unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}
