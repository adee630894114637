import { ANNOTATIONS, isSchemaObject, type JsonSchema, type JsonSchemaObject } from './json-schema';

/**
 * Resolves local `$ref`s ("#", "#/$defs/x", "#/definitions/x", any JSON pointer into the root)
 * as zod emits them for recursive and registered schemas. Remote refs are not fetched: the
 * registry must decide from the documents it was given.
 */
export class RefResolver {
  /** `$ref` with sibling constraints means "both" (2020-12); memoised so cycles keep identity. */
  private readonly combined = new WeakMap<JsonSchemaObject, JsonSchema>();

  constructor(private readonly root: JsonSchema) {}

  /** The schema a node stands for, following `$ref` chains; undefined when a ref cannot be resolved. */
  resolve(schema: JsonSchema): JsonSchema | undefined {
    let current: JsonSchema = schema;
    for (let hops = 0; hops < 64; hops++) {
      if (!isSchemaObject(current) || typeof current['$ref'] !== 'string') return current;
      const memo = this.combined.get(current);
      if (memo !== undefined) return memo;
      const target = this.pointer(current['$ref']);
      if (target === undefined) return undefined;
      const { $ref: _ref, ...siblings } = current;
      if (Object.keys(siblings).some((k) => !ANNOTATIONS.has(k))) {
        const both: JsonSchema = { allOf: [target, siblings] };
        this.combined.set(current, both);
        return both;
      }
      current = target;
    }
    return undefined;
  }

  private pointer(ref: string): JsonSchema | undefined {
    if (!ref.startsWith('#')) return undefined;
    const tokens = ref.slice(1).split('/').filter((t, i) => i > 0 || t !== '');
    let node: unknown = this.root;
    for (const raw of tokens) {
      const token = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      if (Array.isArray(node)) node = node[Number(token)];
      else if (isSchemaObject(node)) node = node[token];
      else return undefined;
    }
    return typeof node === 'boolean' || isSchemaObject(node) ? node : undefined;
  }
}

