import { DataSource, type EntitySchema, type MixedList } from 'typeorm';
import { ValidationError } from '@weaver/errors';

import { identifier } from './identifiers';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own types for entity/migration classes.
type EntityList = MixedList<Function | string | EntitySchema>;
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type MigrationList = MixedList<Function | string>;

export interface DataSourceSettings {
  /** postgres://user:password@host:port/database */
  readonly url: string;
  /** The service's own schema (`tenancy`, `publisher`, ...). */
  readonly schema: string;
  readonly entities?: EntityList;
  readonly migrations?: MigrationList;
  /** Defaults to `<schema>_migrations`. */
  readonly migrationsTableName?: string;
  /** Connections in the pool; default 10. */
  readonly poolSize?: number;
  /** Shows up in pg_stat_activity, so an operator can tell services apart. */
  readonly applicationName?: string;
}

export function migrationsTableOf(schema: string): string {
  return `${schema}_migrations`;
}

/**
 * A PostgreSQL DataSource for one service schema, not yet initialised. Never `synchronize`:
 * the schema only changes through migrations run by the owner role (see runMigrations).
 */
export function createDataSource(settings: DataSourceSettings): DataSource {
  identifier(settings.schema, 'schema');
  let protocol: string;
  try {
    protocol = new URL(settings.url).protocol;
  } catch {
    throw new ValidationError([{ field: 'url', rule: 'must be a URL like postgres://user:password@host:5432/database' }]);
  }
  if (protocol !== 'postgres:' && protocol !== 'postgresql:') {
    throw new ValidationError([{ field: 'url', rule: 'must use the postgres:// scheme' }]);
  }
  const poolSize = settings.poolSize ?? 10;
  if (!Number.isInteger(poolSize) || poolSize < 1) throw new ValidationError([{ field: 'poolSize', rule: 'must be an integer >= 1' }]);
  return new DataSource({
    type: 'postgres',
    url: settings.url,
    schema: settings.schema,
    entities: settings.entities ?? [],
    migrations: settings.migrations ?? [],
    migrationsTableName: settings.migrationsTableName ?? migrationsTableOf(settings.schema),
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    // The app role may not create extensions; ids are generated in code or by gen_random_uuid().
    installExtensions: false,
    poolSize,
    applicationName: settings.applicationName,
    logging: false,
  });
}
