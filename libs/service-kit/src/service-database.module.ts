import { type DynamicModule, Module } from '@nestjs/common';
import { z } from '@weaver/config';
import { openServiceDatabase, type DataSourceSettings } from '@weaver/persistence';
import type { DataSource } from 'typeorm';
import { Readiness } from './readiness';
import { SERVICE_CONFIG } from './service-config';
import { ServiceLifecycle } from './service-lifecycle';

/** Injection token of the service's TypeORM DataSource (the service's own role, under row-level security). */
export const SERVICE_DATABASE = Symbol('weaver.service-database');

const postgresUrl = z.string().regex(/^postgres(ql)?:\/\/[^/]+\/.+/, 'must be a postgres://user:password@host:port/database URL');

/** The config fields every database-backed service has; extend a service's schema with them. */
export const databaseConfigFields = {
  /** The service's own role's URL (made by the migrate step): what it queries with, always under row-level security. */
  DATABASE_URL: postgresUrl,
  /**
   * Refused when set: a serving process never holds the owner's URL (migrations are the
   * migrate step's, libs/migrate/src/migrate.main.ts or the Kubernetes Job), so an old deployment's leftover fails loudly.
   */
  DATABASE_OWNER_URL: z.undefined({ error: 'must not be set: services never hold the owner URL; migrations run as their own step (libs/migrate/src/migrate.main.ts, the weaver-migrate Job)' }).optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
};

interface DatabaseConfig {
  DATABASE_URL: string;
  DATABASE_POOL_SIZE: number;
}

export interface ServiceDatabaseOptions extends Pick<DataSourceSettings, 'schema' | 'entities' | 'migrations' | 'migrationsTableName'> {
  applicationName: string;
  /**
   * Register a `postgres` readiness check (a `SELECT 1`). Off for services whose pool is busy
   * with their main work (a probe would time out under load and take a working one out).
   */
  probe?: boolean;
}

/**
 * The service's database, opened as the service's own role before the servers listen: the
 * start-up check refuses a role that could get around row-level security (superuser,
 * BYPASSRLS, an owner or a member of one — `assertLeastPrivilege`, naming the rule) and a
 * schema the migrate step has not brought up to date; then probed for readiness and closed at
 * shutdown (a ServiceLifecycle resource opened first, so closed last). It never migrates.
 */
@Module({})
export class ServiceDatabaseModule {
  static forRoot(opts: ServiceDatabaseOptions): DynamicModule {
    const provider = {
      provide: SERVICE_DATABASE,
      inject: [SERVICE_CONFIG, Readiness, ServiceLifecycle],
      useFactory: async (config: DatabaseConfig, readiness: Readiness, lifecycle: ServiceLifecycle): Promise<DataSource> => {
        const { probe = true, ...settings } = opts;
        const ds = lifecycle.own('database', await openServiceDatabase({ ...settings, url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE }), async (d) => d.isInitialized && (await d.destroy()));
        if (probe) readiness.register('postgres', async () => (await ds.query('SELECT 1 AS ok')).length === 1);
        return ds;
      },
    };
    return { module: ServiceDatabaseModule, global: true, providers: [provider], exports: [SERVICE_DATABASE] };
  }
}
