import { randomBytes } from 'node:crypto';
import { ValidationError } from '@weaver/errors';
import { migrateDatabase, type MigrateDatabaseResult, type SchemaMigrations } from '@weaver/persistence';
import { DATABASE_SERVICES, grantsOf, RETIRED_ROLES, roleOf, type DatabaseService } from './service-grants';

export type ServicePasswords = Record<DatabaseService, string>;

export interface MigrateWeaverSettings {
  /** The owner's URL (DDL and CREATEROLE). Only the migrate step holds it. */
  readonly ownerUrl: string;
  /** Each service role's password (set on every run, so rotating one is re-running the step). */
  readonly passwords: ServicePasswords;
  /** The schemas and their migrations: DATABASE_SCHEMAS (`@weaver/migrate`) for the whole database; tests may migrate fewer. */
  readonly schemas: readonly SchemaMigrations[];
}

/**
 * The migrate step for Weaver's database: the schemas, then one role per service with its
 * grants on those of them it uses (a service whose schemas are absent gets a role with none).
 */
export async function migrateWeaver(settings: MigrateWeaverSettings): Promise<MigrateDatabaseResult> {
  const schemas = settings.schemas;
  const names = schemas.map((s) => s.schema);
  return migrateDatabase({
    ownerUrl: settings.ownerUrl,
    schemas,
    roles: DATABASE_SERVICES.map((service) => ({ role: roleOf(service), password: settings.passwords[service], grants: grantsOf(service, names) })),
    retiredRoles: RETIRED_ROLES,
  });
}

/** Fresh random passwords, one per service (32 bytes of entropy each, URL-safe). */
export function generateServicePasswords(): ServicePasswords {
  return Object.fromEntries(DATABASE_SERVICES.map((s) => [s, randomBytes(32).toString('base64url')])) as ServicePasswords;
}

/** Reads and checks a passwords object (e.g. from the data dir's passwords file): every service, each ≥ 16 characters. */
export function parseServicePasswords(value: unknown, source: string): ServicePasswords {
  const violations = DATABASE_SERVICES.flatMap((s) => {
    const p = (value as Record<string, unknown> | null)?.[s];
    return typeof p === 'string' && p.length >= 16 ? [] : [{ field: `${source}.${s}`, rule: 'must be a password of at least 16 characters' }];
  });
  if (violations.length > 0) throw new ValidationError(violations, 'service passwords');
  return Object.fromEntries(DATABASE_SERVICES.map((s) => [s, (value as Record<string, string>)[s]])) as ServicePasswords;
}

/** The URL a service connects with: the database of `baseUrl`, logged in as the service's role. */
export function serviceDatabaseUrl(baseUrl: string, service: DatabaseService, password: string): string {
  const url = new URL(baseUrl);
  url.username = encodeURIComponent(roleOf(service));
  url.password = encodeURIComponent(password);
  return url.toString();
}
