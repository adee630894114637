/** An OpenAPI v3 schema object, as JSON. */
export type Schema = { [key: string]: unknown };

const DROP = new Set(['description', 'format', 'x-kubernetes-group-version-kind', 'x-kubernetes-list-map-keys', 'x-kubernetes-list-type', 'x-kubernetes-map-type', 'x-kubernetes-patch-merge-key', 'x-kubernetes-patch-strategy', 'x-kubernetes-validations', 'x-kubernetes-embedded-resource']);

/**
 * OpenAPI v3 → strict JSON Schema: `nullable` becomes a null type, int-or-string fields accept
 * both, and an object with declared properties refuses any other field (kubectl's
 * `--validate=strict`) unless it preserves unknown fields. Descriptions and formats go: formats
 * like int32 are not JSON Schema assertions and descriptions are most of the size.
 */
export function strictSchema(node: Schema): Schema {
  const out: Schema = {};
  for (const [key, value] of Object.entries(node)) {
    if (DROP.has(key)) continue;
    if (key === 'properties' && value && typeof value === 'object') out[key] = Object.fromEntries(Object.entries(value as Record<string, Schema>).map(([k, v]) => [k, strictSchema(v)]));
    else if ((key === 'items' || key === 'additionalProperties' || key === 'not') && value && typeof value === 'object' && !Array.isArray(value)) out[key] = strictSchema(value as Schema);
    else if ((key === 'allOf' || key === 'anyOf' || key === 'oneOf') && Array.isArray(value)) out[key] = (value as Schema[]).map(strictSchema);
    else out[key] = value;
  }
  if (node['x-kubernetes-int-or-string'] === true) {
    delete out['type'];
    out['anyOf'] = [{ type: 'integer' }, { type: 'string' }];
  }
  if (out['nullable'] === true && typeof out['type'] === 'string') out['type'] = [out['type'], 'null'];
  delete out['nullable'];
  const preserves = node['x-kubernetes-preserve-unknown-fields'] === true;
  delete out['x-kubernetes-preserve-unknown-fields'];
  delete out['x-kubernetes-int-or-string'];
  if (out['properties'] && out['additionalProperties'] === undefined && !preserves) out['additionalProperties'] = false;
  return out;
}
