import type { DataSource } from 'typeorm';
import { FailedPreconditionError, ValidationError } from '@weaver/errors';

import { createDataSource, type DataSourceSettings } from './data-source.factory';
import { runMigrations } from './migrations.runner';

export interface ServiceDatabaseSettings extends DataSourceSettings {
  /**
   * The owner's URL. When given, pending migrations run with it first, and the role and
   * password of `url` (weaver_app) are ensured with grants on the schema.
   */
  readonly ownerUrl?: string;
}

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
 * What a service does at start: migrate its schema as the owner (if `ownerUrl` is given), make
 * sure its own role exists with the password in `url`, then connect as that role. Returns the
 * initialised DataSource; `destroy()` it on shutdown.
 */
export async function openServiceDatabase(settings: ServiceDatabaseSettings): Promise<DataSource> {
  const { ownerUrl, ...appSettings } = settings;
  if (ownerUrl !== undefined) {
    await runMigrations({ url: ownerUrl, schema: settings.schema, migrations: settings.migrations, migrationsTableName: settings.migrationsTableName, appRole: credentialsOf(settings.url) });
  }
  const ds = await createDataSource(appSettings).initialize();
  // Without an owner URL someone else migrates (a deploy job): refuse to serve an old schema.
  let pending: boolean;
  try {
    pending = await ds.showMigrations();
  } catch (error) {
    await ds.destroy();
    throw new FailedPreconditionError(`cannot read the migration history of schema "${settings.schema}": ${(error as Error).message}`, { schema: settings.schema });
  }
  if (pending) {
    await ds.destroy();
    throw new FailedPreconditionError(`schema "${settings.schema}" has pending migrations: run them (give the owner URL) before starting`, { schema: settings.schema });
  }
  return ds;
}
