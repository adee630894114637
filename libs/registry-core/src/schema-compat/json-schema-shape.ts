import type { FieldViolation } from '@weaver/errors';
import { isJsonType, isSchemaObject, JSON_TYPES } from './json-schema';

/** Limits that keep one registration from costing the registry more than a schema is worth. */
const MAX_DEPTH = 64;
const MAX_NODES = 10_000;

const SCHEMA_KEYWORDS = ['additionalProperties', 'items', 'additionalItems', 'propertyNames', 'not', 'contains', 'if', 'then', 'else'];
const SCHEMA_LIST_KEYWORDS = ['anyOf', 'oneOf', 'allOf', 'prefixItems'];
const SCHEMA_MAP_KEYWORDS = ['properties', '$defs', 'definitions', 'patternProperties', 'dependentSchemas'];
const NUMBER_KEYWORDS = ['minimum', 'maximum', 'multipleOf'];
const COUNT_KEYWORDS = ['minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties', 'maxProperties'];

/**
 * Structural check of a JSON Schema document before it is stored or compared: each problem is
 * reported with the keyword's path (`inputSchema.properties.email.type`) and the rule it breaks.
 */
export function jsonSchemaViolations(document: unknown, field: string): FieldViolation[] {
  const out: FieldViolation[] = [];
  let nodes = 0;
  const visit = (node: unknown, at: string, depth: number): void => {
    if (++nodes > MAX_NODES) {
      if (nodes === MAX_NODES + 1) out.push({ field, rule: `must have at most ${MAX_NODES} schema nodes` });
      return;
    }
    if (typeof node === 'boolean') return;
    if (!isSchemaObject(node)) return void out.push({ field: at, rule: 'must be a JSON Schema (an object or a boolean)' });
    if (depth > MAX_DEPTH) return void out.push({ field: at, rule: `must nest at most ${MAX_DEPTH} levels deep` });
    checkKeywords(node, at, out);
    for (const key of SCHEMA_KEYWORDS) {
      const child = node[key];
      if (child === undefined) continue;
      if (key === 'items' && Array.isArray(child)) child.forEach((c, i) => visit(c, `${at}.items[${i}]`, depth + 1));
      else visit(child, `${at}.${key}`, depth + 1);
    }
    for (const key of SCHEMA_LIST_KEYWORDS) {
      const list = node[key];
      if (list === undefined) continue;
      if (!Array.isArray(list) || (key !== 'prefixItems' && list.length === 0)) {
        out.push({ field: `${at}.${key}`, rule: key === 'prefixItems' ? 'must be an array of schemas' : 'must be a non-empty array of schemas' });
      } else list.forEach((c, i) => visit(c, `${at}.${key}[${i}]`, depth + 1));
    }
    for (const key of SCHEMA_MAP_KEYWORDS) {
      const map = node[key];
      if (map === undefined) continue;
      if (!isSchemaObject(map)) out.push({ field: `${at}.${key}`, rule: 'must be an object of schemas' });
      else for (const [name, child] of Object.entries(map)) visit(child, `${at}.${key}.${name}`, depth + 1);
    }
  };
  visit(document, field, 0);
  return out;
}

function checkKeywords(node: Record<string, unknown>, at: string, out: FieldViolation[]): void {
  const type = node['type'];
  if (type !== undefined && !isJsonType(type) && !(Array.isArray(type) && type.length > 0 && type.every(isJsonType))) {
    out.push({ field: `${at}.type`, rule: `must be one of ${JSON_TYPES.join(', ')} or a non-empty array of them` });
  }
  const required = node['required'];
  if (required !== undefined && !(Array.isArray(required) && required.every((r) => typeof r === 'string'))) {
    out.push({ field: `${at}.required`, rule: 'must be an array of property names' });
  }
  if (node['enum'] !== undefined && !Array.isArray(node['enum'])) out.push({ field: `${at}.enum`, rule: 'must be an array' });
  if (node['$ref'] !== undefined && typeof node['$ref'] !== 'string') out.push({ field: `${at}.$ref`, rule: 'must be a string' });
  for (const key of NUMBER_KEYWORDS) {
    const v = node[key];
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v))) out.push({ field: `${at}.${key}`, rule: 'must be a finite number' });
  }
  for (const key of ['exclusiveMinimum', 'exclusiveMaximum']) {
    const v = node[key];
    if (v !== undefined && typeof v !== 'boolean' && !(typeof v === 'number' && Number.isFinite(v))) out.push({ field: `${at}.${key}`, rule: 'must be a finite number' });
  }
  if (typeof node['multipleOf'] === 'number' && node['multipleOf'] <= 0) out.push({ field: `${at}.multipleOf`, rule: 'must be greater than 0' });
  for (const key of COUNT_KEYWORDS) {
    const v = node[key];
    if (v !== undefined && !(typeof v === 'number' && Number.isInteger(v) && v >= 0)) out.push({ field: `${at}.${key}`, rule: 'must be a non-negative integer' });
  }
  const pattern = node['pattern'];
  if (pattern !== undefined) {
    if (typeof pattern !== 'string') out.push({ field: `${at}.pattern`, rule: 'must be a string' });
    else if (!compiles(pattern)) out.push({ field: `${at}.pattern`, rule: 'must be a valid regular expression' });
  }
  if (node['format'] !== undefined && typeof node['format'] !== 'string') out.push({ field: `${at}.format`, rule: 'must be a string' });
}

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}
