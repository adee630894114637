import type { JsonSchema } from './json-schema';
import type { ComparisonLabels, CompatibilityRule, SchemaViolation } from './schema-violation';

/** What the keyword rules need from the engine: recursion into sub-schemas and labelled violations. */
export interface Comparer {
  readonly labels: ComparisonLabels;
  /** Violations of "every value `writer` allows at `path` is accepted by `reader`". */
  compare(writer: JsonSchema, reader: JsonSchema, path: string): SchemaViolation[];
}

export function violation(path: string, rule: CompatibilityRule, message: string): SchemaViolation {
  return { path, rule, message };
}
