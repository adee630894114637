import { DataSource } from 'typeorm';
import { ValidationError } from '@weaver/errors';
import { createDataSource, identifier, qualifiedTable, withTenant } from './index';

const violation = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error.violations.map((v) => `${v.field}: ${v.rule}`).join('; ');
    throw error;
  }
  throw new Error('expected a ValidationError');
};

describe('persistence input checks', () => {
  it('never synchronises and names the migrations table after the schema', () => {
    const ds = createDataSource({ url: 'postgres://u:p@127.0.0.1:5432/db', schema: 'tenancy' });
    expect(ds.options.synchronize).toBe(false);
    expect(ds.options.migrationsTableName).toBe('tenancy_migrations');
  });

  it('names the field and rule for a bad url, schema or pool size', () => {
    expect(violation(() => createDataSource({ url: 'not a url', schema: 'tenancy' }))).toMatch(/^url: /);
    expect(violation(() => createDataSource({ url: 'mysql://h/db', schema: 'tenancy' }))).toBe('url: must use the postgres:// scheme');
    expect(violation(() => createDataSource({ url: 'postgres://h/db', schema: 'Ten"ancy' }))).toMatch(/^schema: must be a lower-case SQL identifier/);
    expect(violation(() => createDataSource({ url: 'postgres://h/db', schema: 'tenancy', poolSize: 0 }))).toBe('poolSize: must be an integer >= 1');
  });

  it('quotes only plain identifiers', () => {
    expect(identifier('api_keys', 'table')).toBe('"api_keys"');
    expect(qualifiedTable('tenancy.api_keys', 'table').sql).toBe('"tenancy"."api_keys"');
    expect(violation(() => qualifiedTable('api_keys', 'table'))).toBe('table: must be schema-qualified: "<schema>.<table>"');
    expect(violation(() => identifier('x"; DROP TABLE t; --', 'table'))).toMatch(/^table: /);
  });

  it('rejects a non-UUID tenant before touching the database', async () => {
    const ds = new DataSource({ type: 'postgres' }); // never initialised: validation must come first
    await expect(withTenant(ds, 'tenant-a', async () => 1)).rejects.toThrow('tenantId: must be a UUID');
  });
});
