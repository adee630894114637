import type { DataSource } from 'typeorm';
import { FailedPreconditionError, ValidationError } from '@weaver/errors';

import { retryCatalogRace } from './catalog-race';
import { migrationsTableOf } from './data-source.factory';
import { identifier, literal } from './identifiers';

export const APP_ROLE = 'weaver_app';

export interface AppRoleOptions {
  /** Default `weaver_app`. */
  readonly role?: string;
  /** Set (or reset) the role's password; omit when the role is provisioned elsewhere. */
  readonly password?: string;
  /** Schemas to grant on; default the DataSource's own schema. */
  readonly schemas?: readonly string[];
}

/** Role attributes that keep the services' role subject to row-level security. */
const ATTRIBUTES = 'LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION';

/**
 * Creates the role services connect as, if missing, and grants it data access (never DDL) on
 * the schemas' tables, today's and future ones. Run by the owner role after migrations.
 * Services start side by side: an advisory lock orders them within a database, and a retry
 * covers races on the cluster-wide role catalog (see retryCatalogRace).
 */
export async function ensureAppRole(ownerDs: DataSource, options: AppRoleOptions = {}): Promise<void> {
  const roleName = options.role ?? APP_ROLE;
  const role = identifier(roleName, 'role');
  const ownSchema = (ownerDs.options as { schema?: string }).schema;
  const schemas = options.schemas ?? (ownSchema === undefined ? [] : [ownSchema]);
  if (schemas.length === 0) throw new ValidationError([{ field: 'schemas', rule: 'name at least one schema (the DataSource has none)' }]);
  if (options.password !== undefined && options.password.length < 8) {
    throw new ValidationError([{ field: 'password', rule: 'must be at least 8 characters' }]);
  }
  await retryCatalogRace(() =>
    ownerDs.transaction(async (em) => {
      await em.query("SELECT pg_advisory_xact_lock(hashtext('weaver.app_role'))");
      const existing = (await em.query('SELECT rolsuper, rolname = current_user AS is_owner FROM pg_roles WHERE rolname = $1', [roleName])) as {
        rolsuper: boolean;
        is_owner: boolean;
      }[];
      // Demoting a superuser (or ourselves) would lock the operator out; and a service connecting as
      // one would bypass every policy. Refuse instead, naming the fix.
      if (existing[0]?.rolsuper === true || existing[0]?.is_owner === true) {
        throw new FailedPreconditionError(`role "${roleName}" is a superuser or the migrating owner; services must connect as their own NOSUPERUSER role (e.g. weaver_app)`, {
          role: roleName,
        });
      }
      if (existing.length === 0) await em.query(`CREATE ROLE ${role} ${ATTRIBUTES}`);
      // Re-assert the attributes: a pre-existing role of that name must not keep a bypass.
      const password = options.password === undefined ? '' : ` PASSWORD ${literal(options.password)}`;
      await em.query(`ALTER ROLE ${role} ${ATTRIBUTES}${password}`);
      const [{ db }] = (await em.query('SELECT current_database() AS db')) as [{ db: string }];
      await em.query(`GRANT CONNECT ON DATABASE "${db.replace(/"/g, '""')}" TO ${role}`);
      for (const name of schemas) {
        const schema = identifier(name, 'schemas');
        await em.query(`GRANT USAGE ON SCHEMA ${schema} TO ${role}`);
        await em.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${role}`);
        await em.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${schema} TO ${role}`);
        await em.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${role}`);
        await em.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT USAGE, SELECT ON SEQUENCES TO ${role}`);
        // The migration history is the owner's record: the app may read it, never rewrite it.
        const history = `${schema}.${identifier(migrationsTableOf(name), 'schemas')}`;
        const found: unknown[] = await em.query('SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = $2', [name, migrationsTableOf(name)]);
        if (found.length > 0) await em.query(`REVOKE INSERT, UPDATE, DELETE ON ${history} FROM ${role}`);
      }
    }),
  );
}
