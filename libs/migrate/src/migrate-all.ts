import { migrateWeaver, type ServicePasswords } from '@weaver/database';
import type { MigrateDatabaseResult } from '@weaver/persistence';
import { DATABASE_SCHEMAS } from './database-schemas';

/** Every schema of DATABASE_SCHEMAS, then one role per service with its grants. */
export function migrateAll(ownerUrl: string, passwords: ServicePasswords): Promise<MigrateDatabaseResult> {
  return migrateWeaver({ ownerUrl, passwords, schemas: DATABASE_SCHEMAS });
}
