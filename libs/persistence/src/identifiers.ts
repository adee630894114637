import { ValidationError } from '@weaver/errors';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Schema, table and role names end up in DDL, where they cannot be bound as parameters; we only
 * accept plain lower-case identifiers, so quoting them is enough and nothing can be injected.
 */
export function identifier(value: string, field: string): string {
  if (!IDENTIFIER.test(value)) throw new ValidationError([{ field, rule: 'must be a lower-case SQL identifier matching [a-z_][a-z0-9_]{0,62}' }]);
  return `"${value}"`;
}

/** `schema.table` → `"schema"."table"`, each part validated. */
export function qualifiedTable(value: string, field: string): { schema: string; table: string; sql: string } {
  const parts = value.split('.');
  if (parts.length !== 2) throw new ValidationError([{ field, rule: 'must be schema-qualified: "<schema>.<table>"' }]);
  const [schema = '', table = ''] = parts;
  return { schema, table, sql: `${identifier(schema, field)}.${identifier(table, field)}` };
}

/** PostgreSQL string literal (standard_conforming_strings is on since 9.1). */
export function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
