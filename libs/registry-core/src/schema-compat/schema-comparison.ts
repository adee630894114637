import {
  acceptsAnything,
  admittedTypes,
  allowedValues,
  ANNOTATIONS,
  containsRef,
  deepEqual,
  schemaListAt,
  typeOfValue,
  UNDERSTOOD,
  type JsonSchema,
  type JsonSchemaObject,
  type JsonType,
} from './json-schema';
import { violation, type Comparer } from './comparer';
import { RefResolver } from './ref-resolver';
import { enumRules, numberRules, stringRules, valueRules } from './scalar-rules';
import { arrayRules, objectRules } from './structure-rules';
import type { ComparisonLabels, SchemaViolation } from './schema-violation';

/**
 * Decides "can `reader` read every value `writer` allows?" (writer ⊆ reader) for the JSON Schema
 * subset zod emits, and explains each way it cannot. Sound but not complete: when inclusion cannot
 * be proven (different regex patterns, unknown keywords on the reader) it reports a violation
 * rather than guess. Recursive schemas are compared coinductively: a pair already being compared
 * further up the stack is assumed compatible.
 */
export class SchemaComparison implements Comparer {
  private readonly writerRefs: RefResolver;
  private readonly readerRefs: RefResolver;
  private readonly inProgress = new WeakMap<object, WeakSet<object>>();

  constructor(
    writerRoot: JsonSchema,
    readerRoot: JsonSchema,
    readonly labels: ComparisonLabels,
  ) {
    this.writerRefs = new RefResolver(writerRoot);
    this.readerRefs = new RefResolver(readerRoot);
  }

  compare(writerNode: JsonSchema, readerNode: JsonSchema, path: string): SchemaViolation[] {
    const r = this.readerRefs.resolve(readerNode);
    if (r === undefined) return [violation(path, 'unresolvable-ref', `${this.labels.reader} has a $ref that does not resolve inside its own document`)];
    // An unresolvable writer ref could stand for anything: compare as if it allowed every value.
    const resolved = this.writerRefs.resolve(writerNode) ?? true;
    if (resolved === false || r === true || acceptsAnything(r)) return [];
    if (r === false) return [violation(path, 'type-narrowed', `${this.labels.reader} accepts no value here but ${this.labels.writer} allows values`)];
    const w: JsonSchemaObject = resolved === true ? {} : resolved;
    if (!containsRef(w) && !containsRef(r) && deepEqual(w, r)) return [];

    const seen = this.inProgress.get(w) ?? new WeakSet<object>();
    if (seen.has(r)) return [];
    seen.add(r);
    this.inProgress.set(w, seen);
    try {
      return this.compareResolved(w, r, path);
    } finally {
      seen.delete(r);
    }
  }

  private compareResolved(w: JsonSchemaObject, r: JsonSchemaObject, path: string): SchemaViolation[] {
    for (const key of ['anyOf', 'oneOf'] as const) {
      const branches = schemaListAt(w, key);
      if (branches !== undefined) return this.writerUnion(without(w, key), branches, r, path);
    }
    const wAll = schemaListAt(w, 'allOf');
    if (wAll !== undefined) return this.writerIntersection([without(w, 'allOf'), ...wAll], r, path);
    const rAll = schemaListAt(r, 'allOf');
    if (rAll !== undefined) return [without(r, 'allOf'), ...rAll].flatMap((member) => this.compare(w, member, path));
    for (const key of ['anyOf', 'oneOf'] as const) {
      const branches = schemaListAt(r, key);
      if (branches !== undefined) return [...this.compare(w, without(r, key), path), ...this.readerUnion(w, branches, path)];
    }
    return this.compareCore(w, r, path);
  }

  /** Every writer branch must be readable; sibling constraints that already fit the reader suffice. */
  private writerUnion(rest: JsonSchemaObject, branches: JsonSchema[], r: JsonSchemaObject, path: string): SchemaViolation[] {
    if (!acceptsAnything(rest) && this.compare(rest, r, path).length === 0) return [];
    return branches.flatMap((branch) => this.compare(branch, r, path));
  }

  /** A value of an intersection satisfies every member, so one member fitting the reader is enough. */
  private writerIntersection(members: JsonSchema[], r: JsonSchemaObject, path: string): SchemaViolation[] {
    let fewest: SchemaViolation[] | undefined;
    for (const member of members) {
      if (isUnconstrainedObject(member)) continue;
      const found = this.compare(member, r, path);
      if (found.length === 0) return [];
      if (fewest === undefined || found.length < fewest.length) fewest = found;
    }
    return fewest ?? this.compare(true, r, path);
  }

  /**
   * The writer must fit some reader branch. A multi-type writer (`type: ["string","number"]`, zod's
   * union of primitives) is split per type first, since different branches may take different types.
   */
  private readerUnion(w: JsonSchemaObject, branches: JsonSchema[], path: string): SchemaViolation[] {
    const types = [...admittedTypes(w)].filter((t, _i, all) => !(t === 'integer' && all.includes('number')));
    const slices = types.length > 1 ? types.map((t) => sliceByType(w, t)) : [w];
    return slices.flatMap((slice) => {
      const trials = branches.map((branch) => this.compare(slice, branch, path));
      if (trials.some((t) => t.length === 0)) return [];
      // Report the closest branch so the error names the real field, not just "no branch matched".
      const sliceTypes = admittedTypes(slice);
      const ranked = trials
        .map((found, i) => ({ found, sharesType: this.sharesType(sliceTypes, branches[i]!) }))
        .sort((a, b) => Number(b.sharesType) - Number(a.sharesType) || a.found.length - b.found.length);
      const best = ranked[0];
      if (best === undefined || !best.sharesType) {
        return [violation(path, 'union-branch-unmatched', `${this.labels.writer} allows ${[...sliceTypes].join('/')} values that no alternative of ${this.labels.reader} accepts`)];
      }
      return best.found;
    });
  }

  private sharesType(types: Set<JsonType>, branch: JsonSchema): boolean {
    const resolved = this.readerRefs.resolve(branch);
    if (resolved === undefined || resolved === false) return false;
    if (resolved === true) return true;
    if (schemaListAt(resolved, 'anyOf') ?? schemaListAt(resolved, 'oneOf') ?? schemaListAt(resolved, 'allOf')) return true;
    const theirs = admittedTypes(resolved);
    return [...types].some((t) => theirs.has(t));
  }

  private compareCore(w: JsonSchemaObject, r: JsonSchemaObject, path: string): SchemaViolation[] {
    const out: SchemaViolation[] = [];
    const wTypes = admittedTypes(w);
    const rTypes = admittedTypes(r);
    const lost = [...wTypes].filter((t) => !rTypes.has(t));
    if (lost.length > 0) {
      const allowed = 'type' in w || allowedValues(w) !== undefined ? lost.filter((t) => !(t === 'integer' && lost.includes('number'))).join('/') : 'any type';
      const accepted = [...rTypes].filter((t) => !(t === 'integer' && rTypes.has('number'))).join('/') || 'nothing';
      out.push(violation(path, 'type-narrowed', `${this.labels.writer} allows ${allowed} but ${this.labels.reader} accepts only ${accepted}`));
    }
    const shared = new Set([...wTypes].filter((t) => rTypes.has(t)));
    if (shared.size === 0) return out;

    out.push(...enumRules(this, w, r, path, shared));
    const values = allowedValues(w);
    if (values !== undefined) {
      out.push(...valueRules(this, values.filter((v) => shared.has(typeOfValue(v))), r, path));
    } else {
      // Bounds of a reader that dropped `number` for `integer` would only restate the narrowing.
      const numeric = !lost.includes('number') && (shared.has('number') || shared.has('integer'));
      if (numeric) out.push(...numberRules(this, w, r, path, !shared.has('number')));
      if (shared.has('string')) out.push(...stringRules(this, w, r, path));
      if (shared.has('array')) out.push(...arrayRules(this, w, r, path));
      if (shared.has('object')) out.push(...objectRules(this, w, r, path));
    }
    for (const key of Object.keys(r)) {
      if (UNDERSTOOD.has(key) || ANNOTATIONS.has(key) || deepEqual(w[key], r[key])) continue;
      out.push(violation(path, 'unsupported-keyword', `${this.labels.reader} constrains "${key}", which the registry cannot prove ${this.labels.writer} satisfies`));
    }
    return out;
  }
}

function without(schema: JsonSchemaObject, key: string): JsonSchemaObject {
  const { [key]: _dropped, ...rest } = schema;
  return rest;
}

function isUnconstrainedObject(schema: JsonSchema): boolean {
  return typeof schema !== 'boolean' && acceptsAnything(schema);
}

function sliceByType(w: JsonSchemaObject, type: JsonType): JsonSchemaObject {
  const values = allowedValues(w);
  const { const: _c, enum: _e, nullable: _n, ...rest } = w;
  const slice: Record<string, unknown> = { ...rest, type };
  if (values !== undefined) slice['enum'] = values.filter((v) => typeOfValue(v) === type || (type === 'number' && typeOfValue(v) === 'integer'));
  return slice;
}
