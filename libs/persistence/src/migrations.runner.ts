import { createDataSource, type DataSourceSettings } from './data-source.factory';
import { identifier } from './identifiers';

export interface MigrationSettings extends Pick<DataSourceSettings, 'schema' | 'migrations' | 'migrationsTableName'> {
  /** The owner's URL (a role allowed to run DDL), never a service role's. */
  readonly url: string;
}

/**
 * Creates the service's schema if missing and applies its pending migrations, each in its own
 * transaction, tracked in `<schema>_migrations`. Replicas starting together queue on an
 * advisory lock per schema instead of racing. Returns the names of the migrations applied now.
 * Part of the migrate step (`migrateDatabase`), never of a serving process.
 */
export async function runMigrations(settings: MigrationSettings): Promise<string[]> {
  const schema = identifier(settings.schema, 'schema');
  const ds = createDataSource({ ...settings, poolSize: 2, applicationName: `weaver-migrate-${settings.schema}` });
  await ds.initialize();
  const lock = ds.createQueryRunner();
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock(hashtext($1))', [`weaver.migrate.${settings.schema}`]);
    try {
      await lock.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      const applied = await ds.runMigrations({ transaction: 'each' });
      return applied.map((m) => m.name);
    } finally {
      await lock.query('SELECT pg_advisory_unlock(hashtext($1))', [`weaver.migrate.${settings.schema}`]);
    }
  } finally {
    await lock.release();
    await ds.destroy();
  }
}
