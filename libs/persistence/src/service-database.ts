import type { DataSource } from 'typeorm';
import { FailedPreconditionError, ValidationError } from '@weaver/errors';

import { createDataSource, type DataSourceSettings } from './data-source.factory';
import { assertLeastPrivilege } from './roles/least-privilege';

/** The role and password a postgres URL logs in with. */
export function credentialsOf(url: string): { role: string; password?: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ValidationError([{ field: 'url', rule: 'must be a URL like postgres://user:password@host:5432/database' }]);
  }
  const role = decodeURIComponent(parsed.username);
  if (role === '') throw new ValidationError([{ field: 'url', rule: 'must name the role to log in as (postgres://<role>:<password>@...)' }]);
  const password = parsed.password === '' ? undefined : decodeURIComponent(parsed.password);
  return password === undefined ? { role } : { role, password };
}

/**
 * What a service does at start: connect as its own role, refuse to serve if that role could get
 * around row-level security or the schema (assertLeastPrivilege, naming the rule), and refuse an
 * old schema (the migrate step has not run). It never migrates: that is the migrate step's job,
 * with the owner's URL, which no serving process holds. `destroy()` the DataSource on shutdown.
 */
export async function openServiceDatabase(settings: DataSourceSettings): Promise<DataSource> {
  const ds = await createDataSource(settings).initialize();
  try {
    await assertLeastPrivilege(ds);
    let pending: boolean;
    try {
      pending = await ds.showMigrations();
    } catch (error) {
      throw new FailedPreconditionError(`cannot read the migration history of schema "${settings.schema}": ${(error as Error).message}`, { schema: settings.schema });
    }
    if (pending) throw new FailedPreconditionError(`schema "${settings.schema}" has pending migrations: run the migrate step (libs/migrate/src/migrate.main.ts) before starting`, { schema: settings.schema });
    return ds;
  } catch (error) {
    await ds.destroy();
    throw error;
  }
}
