import { DATABASE_SERVICES, migrateWeaver, serviceDatabaseUrl, type DatabaseService, type ServicePasswords } from '@weaver/database';
import { createTestDatabase, type TestDatabase } from './postgres';

/**
 * The service roles' passwords on test clusters. Roles are cluster-wide, so every test file
 * (and every e2e stack) on one cluster must set the same ones.
 */
export const TEST_SERVICE_PASSWORDS: ServicePasswords = Object.fromEntries(DATABASE_SERVICES.map((s) => [s, `weaver-test-${s}-password`])) as ServicePasswords;

export interface MigratedTestDatabase extends TestDatabase {
  /** The URL `service` connects with (its own role): what its DATABASE_URL holds. */
  urlOf(service: DatabaseService): string;
}

/**
 * A fresh database with the migrate step run once (every schema, one role per service, their
 * grants): call it in `beforeAll`, once per test file, and connect each component as the
 * service that runs it — a query the service's grants do not allow fails the test.
 */
export async function createMigratedTestDatabase(superuserUrl?: string): Promise<MigratedTestDatabase> {
  const db = await createTestDatabase(superuserUrl);
  try {
    await migrateWeaver({ ownerUrl: db.ownerUrl, passwords: TEST_SERVICE_PASSWORDS });
  } catch (error) {
    await db.drop();
    throw error;
  }
  return { ...db, urlOf: (service) => serviceDatabaseUrl(db.ownerUrl, service, TEST_SERVICE_PASSWORDS[service]) };
}
