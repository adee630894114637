import type { SchemaMigrations } from '@weaver/persistence';
import { migrateWeaver, serviceDatabaseUrl, type ServicePasswords } from './migrate';
import { DATABASE_SERVICES, type DatabaseService } from './service-grants';

/**
 * The service roles' passwords on test clusters. Roles are cluster-wide, so every test file
 * (and every e2e stack) on one cluster must set the same ones.
 */
export const TEST_SERVICE_PASSWORDS: ServicePasswords = Object.fromEntries(DATABASE_SERVICES.map((s) => [s, `weaver-test-${s}-password`])) as ServicePasswords;

export interface ServiceUrls {
  /** The URL `service` connects with (its own role): what its DATABASE_URL holds. */
  urlOf(service: DatabaseService): string;
}

/**
 * Runs the migrate step once on a test database (`createTestDatabase()` from @weaver/testing):
 * `schemas`' migrations, one role per service with its grants on them. Call it in `beforeAll`,
 * once per test file, and connect each component as the service that runs it — a query the
 * service's grants do not allow then fails the test.
 *
 *   db = await migrateTestDatabase(await createTestDatabase(), [{ schema: RUNS_SCHEMA, migrations: RUNS_MIGRATIONS }]);
 *   ds = await createDataSource({ url: db.urlOf('agent-runner'), schema: RUNS_SCHEMA }).initialize();
 */
export async function migrateTestDatabase<D extends { ownerUrl: string; drop?: () => Promise<void> }>(db: D, schemas: readonly SchemaMigrations[]): Promise<D & ServiceUrls> {
  try {
    await migrateWeaver({ ownerUrl: db.ownerUrl, passwords: TEST_SERVICE_PASSWORDS, schemas });
  } catch (error) {
    await db.drop?.();
    throw error;
  }
  return Object.assign(db, { urlOf: (service: DatabaseService) => serviceDatabaseUrl(db.ownerUrl, service, TEST_SERVICE_PASSWORDS[service]) });
}
