/**
 * The JSON Schema vocabulary the compatibility checker understands: the subset zod 4's
 * `z.toJSONSchema` emits (draft 2020-12, plus draft-4/7 spellings of tuples and exclusive bounds).
 * Schemas arrive from the wire as untrusted JSON, so keywords are read through typed accessors
 * instead of trusting a static shape.
 */
export type JsonSchema = boolean | JsonSchemaObject;
export type JsonSchemaObject = { readonly [keyword: string]: unknown };

export type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'null' | 'object' | 'array';
export const JSON_TYPES: readonly JsonType[] = ['string', 'number', 'integer', 'boolean', 'null', 'object', 'array'];

/** Keywords that never constrain a value: ignored when comparing. */
export const ANNOTATIONS: ReadonlySet<string> = new Set([
  '$schema', '$id', 'id', '$comment', '$anchor', 'title', 'description', 'default', 'examples',
  'deprecated', 'readOnly', 'writeOnly', 'contentEncoding', 'contentMediaType', '$defs', 'definitions',
]);

/** Keywords the checker compares structurally; any other keyword on a reader is "unsupported". */
export const UNDERSTOOD: ReadonlySet<string> = new Set([
  'type', 'nullable', 'enum', 'const', 'anyOf', 'oneOf', 'allOf', '$ref',
  'properties', 'required', 'additionalProperties', 'propertyNames', 'minProperties', 'maxProperties',
  'items', 'prefixItems', 'additionalItems', 'minItems', 'maxItems', 'uniqueItems',
  'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf',
  'minLength', 'maxLength', 'pattern', 'format',
]);

export function isSchemaObject(value: unknown): value is JsonSchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isJsonType(value: unknown): value is JsonType {
  return typeof value === 'string' && (JSON_TYPES as readonly string[]).includes(value);
}

/** True for `true`, `{}` and schemas carrying only annotations: they accept every value. */
export function acceptsAnything(schema: JsonSchema): boolean {
  if (typeof schema === 'boolean') return schema;
  return Object.keys(schema).every((k) => ANNOTATIONS.has(k));
}

/** The JSON type of a value, with integers told apart from other numbers. */
export function typeOfValue(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'string') return 'string';
  return 'object';
}

/** `const` / `enum` as a finite list of allowed values, or undefined when the set is open. */
export function allowedValues(schema: JsonSchemaObject): readonly unknown[] | undefined {
  if ('const' in schema) return [schema['const']];
  const values = schema['enum'];
  return Array.isArray(values) ? values : undefined;
}

/** The types a schema admits at its top level (union keywords are handled by the caller). */
export function admittedTypes(schema: JsonSchemaObject): Set<JsonType> {
  const declared = schema['type'];
  let types: Set<JsonType>;
  if (isJsonType(declared)) types = new Set([declared]);
  else if (Array.isArray(declared)) types = new Set(declared.filter(isJsonType));
  else types = new Set(JSON_TYPES);
  // OpenAPI 3.0 spelling of nullability (zod's `openapi-3.0` target).
  if (schema['nullable'] === true && declared !== undefined) types.add('null');
  // A number type admits integers; keep `integer` explicit so narrowing to it is visible.
  if (types.has('number')) types.add('integer');
  // With a finite value set, the types are exactly those of the values the declared type admits.
  const values = allowedValues(schema);
  if (values !== undefined) types = new Set(values.map(typeOfValue).filter((t) => types.has(t)));
  return types;
}

export function propertiesOf(schema: JsonSchemaObject): Record<string, JsonSchema> {
  const props = schema['properties'];
  return isSchemaObject(props) ? (props as Record<string, JsonSchema>) : {};
}

export function requiredOf(schema: JsonSchemaObject): Set<string> {
  const required = schema['required'];
  return new Set(Array.isArray(required) ? required.filter((r): r is string => typeof r === 'string') : []);
}

export function schemaAt(schema: JsonSchemaObject, keyword: string): JsonSchema | undefined {
  const value = schema[keyword];
  return typeof value === 'boolean' || isSchemaObject(value) ? value : undefined;
}

export function schemaListAt(schema: JsonSchemaObject, keyword: string): JsonSchema[] | undefined {
  const value = schema[keyword];
  return Array.isArray(value) ? value.filter((s): s is JsonSchema => typeof s === 'boolean' || isSchemaObject(s)) : undefined;
}

export function numberAt(schema: JsonSchemaObject, keyword: string): number | undefined {
  const value = schema[keyword];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  const ob = b as Record<string, unknown>;
  const oa = a as Record<string, unknown>;
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(ob, k) && deepEqual(oa[k], ob[k]));
}

/** True when a schema tree contains a `$ref`: such trees mean different things under different roots. */
export function containsRef(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(containsRef);
  if (!isSchemaObject(value)) return false;
  return Object.entries(value).some(([k, v]) => k === '$ref' || containsRef(v));
}
