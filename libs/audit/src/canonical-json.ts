import { ValidationError } from '@weaver/errors';

/**
 * The one serialisation the audit trail hashes: JSON with object keys in code-unit order, no
 * whitespace, `undefined` members left out (as JSON.stringify does). Any two processes (the
 * chainer, the CLI years later) turn the same value into the same bytes, so a hash over them
 * is reproducible. Numbers must be finite: NaN/Infinity have no JSON form.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new ValidationError([{ field: 'value', rule: 'numbers must be finite to have a canonical JSON form' }]);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
    }
    default:
      throw new ValidationError([{ field: 'value', rule: `a ${typeof value} has no canonical JSON form` }]);
  }
}
