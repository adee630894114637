/**
 * One reason a reader schema cannot read everything a writer schema allows. `rule` is a stable
 * code (tests and clients match on it); `message` explains it in the caller's own terms
 * ("v2 input", "consumer indexer 1.4.0 input").
 */
export type CompatibilityRule =
  | 'type-narrowed'
  | 'enum-narrowed'
  | 'required-added'
  | 'property-removed-from-closed-model'
  | 'additional-properties-closed'
  | 'constraint-tightened'
  | 'union-branch-unmatched'
  | 'unresolvable-ref'
  | 'unsupported-keyword';

export interface SchemaViolation {
  /** Data path of the offending field: `customer.email`, `tags[]`, `pair[1]`, `(root)`. */
  readonly path: string;
  readonly rule: CompatibilityRule;
  readonly message: string;
}

/** Who wrote the data and who reads it, as people should read it in an error message. */
export interface ComparisonLabels {
  readonly writer: string;
  readonly reader: string;
}

export const ROOT_PATH = '(root)';

export function propertyPath(parent: string, key: string): string {
  const segment = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
  return parent === ROOT_PATH ? segment : `${parent}.${segment}`;
}

/** Path of "any property not declared", as in a record's values. */
export function extraPropertyPath(parent: string): string {
  return parent === ROOT_PATH ? '*' : `${parent}.*`;
}

export function itemPath(parent: string, index?: number): string {
  const base = parent === ROOT_PATH ? '' : parent;
  return `${base}[${index === undefined ? '' : index}]`;
}
