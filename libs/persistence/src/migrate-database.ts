import { createDataSource, type DataSourceSettings } from './data-source.factory';
import { runMigrations } from './migrations.runner';
import { provisionServiceRoles, type ServiceRolesPlan } from './roles/service-roles';

/** One schema and its migrations, as each library exports them. */
export type SchemaMigrations = Pick<DataSourceSettings, 'schema' | 'migrations' | 'migrationsTableName'>;

export interface MigrateDatabaseSettings {
  /** The owner's URL: a role that may run DDL and create roles. Only the migrate step holds it. */
  readonly ownerUrl: string;
  readonly schemas: readonly SchemaMigrations[];
  readonly roles: ServiceRolesPlan['roles'];
  readonly retiredRoles?: readonly string[];
}

export interface MigrateDatabaseResult {
  /** Migrations applied now, per schema (empty arrays: already up to date). */
  readonly applied: Record<string, string[]>;
  readonly roles: string[];
}

/**
 * The migrate step: every schema's pending migrations (as the owner), then the services' login
 * roles and their grants (provisionServiceRoles). Idempotent; replicas of it queue on advisory
 * locks. Serving processes never run this: they only check that it ran (openServiceDatabase).
 */
export async function migrateDatabase(settings: MigrateDatabaseSettings): Promise<MigrateDatabaseResult> {
  const applied: Record<string, string[]> = {};
  for (const s of settings.schemas) applied[s.schema] = await runMigrations({ url: settings.ownerUrl, ...s });
  const owner = await createDataSource({ url: settings.ownerUrl, schema: 'public', poolSize: 1, applicationName: 'weaver-migrate-roles' }).initialize();
  try {
    await provisionServiceRoles(owner, { schemas: settings.schemas.map((s) => s.schema), roles: settings.roles, retiredRoles: settings.retiredRoles });
  } finally {
    await owner.destroy();
  }
  return { applied, roles: settings.roles.map((r) => r.role) };
}
