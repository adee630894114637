import {
  acceptsAnything,
  isSchemaObject,
  numberAt,
  propertiesOf,
  requiredOf,
  schemaAt,
  schemaListAt,
  type JsonSchema,
  type JsonSchemaObject,
} from './json-schema';
import { violation, type Comparer } from './comparer';
import { boundRules } from './scalar-rules';
import { extraPropertyPath, itemPath, propertyPath, type SchemaViolation } from './schema-violation';

/**
 * Object rules. Properties are matched by name, as Avro and Protobuf match fields:
 *  - both declare it: recurse;
 *  - only the writer declares it: the reader's additionalProperties must take it (`false` refuses it);
 *  - only the reader declares it: data from a closed writer never has it; from an open writer it is
 *    assumed absent (a strict set reading would call every added optional field breaking, which is
 *    Confluent's PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL; Weaver follows the field-oriented reading);
 *  - a property the reader requires must be required by the writer, unless the reader has a default.
 */
export function objectRules(c: Comparer, w: JsonSchemaObject, r: JsonSchemaObject, path: string): SchemaViolation[] {
  const out: SchemaViolation[] = [];
  const wProps = propertiesOf(w);
  const rProps = propertiesOf(r);
  const wExtra: JsonSchema = schemaAt(w, 'additionalProperties') ?? true;
  const rExtra: JsonSchema = schemaAt(r, 'additionalProperties') ?? true;

  for (const key of new Set([...Object.keys(wProps), ...Object.keys(rProps)])) {
    const wp = wProps[key];
    const rp = rProps[key];
    const at = propertyPath(path, key);
    if (wp !== undefined && rp !== undefined) {
      out.push(...c.compare(wp, rp, at));
    } else if (wp !== undefined) {
      if (rExtra === false && wp !== false) {
        out.push(violation(at, 'property-removed-from-closed-model', `${c.labels.writer} allows property "${key}" but ${c.labels.reader} no longer declares it and forbids additional properties`));
      } else {
        out.push(...c.compare(wp, rExtra, at));
      }
    } else if (rp !== undefined && !acceptsAnything(wExtra)) {
      out.push(...c.compare(wExtra, rp, at));
    }
  }

  const wRequired = requiredOf(w);
  for (const key of requiredOf(r)) {
    if (wRequired.has(key)) continue;
    const rp = rProps[key];
    // A reader-side default fills the gap when the writer leaves the field out (zod's `.default()`).
    if (isSchemaObject(rp) && 'default' in rp) continue;
    const at = propertyPath(path, key);
    const wp = wProps[key];
    const how = wp !== undefined ? 'it is optional in' : `it is absent from`;
    out.push(violation(at, 'required-added', `${c.labels.reader} requires "${key}" (with no default) but ${how} ${c.labels.writer}`));
  }

  if (!acceptsAnything(rExtra) && wExtra !== false) {
    if (rExtra === false) {
      out.push(violation(path, 'additional-properties-closed', `${c.labels.writer} allows undeclared properties but ${c.labels.reader} forbids them (additionalProperties: false)`));
    } else {
      out.push(...c.compare(wExtra, rExtra, extraPropertyPath(path)));
    }
  }

  const rNames = schemaAt(r, 'propertyNames');
  if (rNames !== undefined && !acceptsAnything(rNames)) {
    out.push(...c.compare(schemaAt(w, 'propertyNames') ?? { type: 'string' }, rNames, `${path} (property names)`));
  }
  out.push(...boundRules(c, w, r, path, 'property count', { min: 'minProperties', max: 'maxProperties' }));
  return out;
}

interface ArrayShape {
  readonly prefix: JsonSchema[];
  readonly tail: JsonSchema;
}

/** Tuples are `prefixItems` + `items` in 2020-12, `items: [...]` + `additionalItems` before it. */
function arrayShape(s: JsonSchemaObject): ArrayShape {
  if (Array.isArray(s['items'])) return { prefix: schemaListAt(s, 'items') ?? [], tail: schemaAt(s, 'additionalItems') ?? true };
  return { prefix: schemaListAt(s, 'prefixItems') ?? [], tail: schemaAt(s, 'items') ?? true };
}

export function arrayRules(c: Comparer, w: JsonSchemaObject, r: JsonSchemaObject, path: string): SchemaViolation[] {
  const out: SchemaViolation[] = [];
  const ws = arrayShape(w);
  const rs = arrayShape(r);
  const wMax = numberAt(w, 'maxItems');
  const positional = Math.max(ws.prefix.length, rs.prefix.length);
  for (let i = 0; i < positional && (wMax === undefined || i < wMax); i++) {
    out.push(...c.compare(ws.prefix[i] ?? ws.tail, rs.prefix[i] ?? rs.tail, itemPath(path, i)));
  }
  if (wMax === undefined || wMax > positional) out.push(...c.compare(ws.tail, rs.tail, itemPath(path)));
  out.push(...boundRules(c, w, r, path, 'item count', { min: 'minItems', max: 'maxItems' }));
  if (r['uniqueItems'] === true && w['uniqueItems'] !== true) {
    out.push(violation(path, 'constraint-tightened', `${c.labels.reader} requires unique items but ${c.labels.writer} allows duplicates`));
  }
  return out;
}
