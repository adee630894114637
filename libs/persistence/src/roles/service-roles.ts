import type { DataSource, EntityManager } from 'typeorm';
import { FailedPreconditionError, ValidationError } from '@weaver/errors';

import { retryCatalogRace } from '../catalog-race';
import { migrationsTableOf } from '../data-source.factory';
import { identifier, literal, qualifiedTable } from '../identifiers';
import { describeViolations, leastPrivilegeViolations } from './least-privilege';
import { SERVICE_ROLE_ATTRIBUTES, type RoleGrant, type ServiceRoleSpec } from './service-role.types';

export interface ServiceRolesPlan {
  /** Every schema the migrate step manages: grants are reset on all of them, so a removed grant goes. */
  readonly schemas: readonly string[];
  readonly roles: readonly ServiceRoleSpec[];
  /** Roles of earlier versions (e.g. `weaver_app`): their rights in this database are dropped. */
  readonly retiredRoles?: readonly string[];
}

const TABLE_PRIVILEGES = new Set(['SELECT', 'INSERT', 'UPDATE', 'DELETE']);

function validate(plan: ServiceRolesPlan): void {
  const violations: { field: string; rule: string }[] = [];
  plan.roles.forEach((r, i) => {
    if (r.password.length < 16) violations.push({ field: `roles[${i}].password`, rule: `must be at least 16 characters (role ${r.role})` });
    r.grants.forEach((g, j) => {
      const schema = ('table' in g ? g.table : 'sequence' in g ? g.sequence : g.function).split('.')[0] ?? '';
      if (!plan.schemas.includes(schema)) violations.push({ field: `roles[${i}].grants[${j}]`, rule: `must name an object of a managed schema (${plan.schemas.join(', ')})` });
      if ('table' in g && (g.privileges.length === 0 || g.privileges.some((p) => !TABLE_PRIVILEGES.has(p)))) {
        violations.push({ field: `roles[${i}].grants[${j}].privileges`, rule: 'must be some of SELECT, INSERT, UPDATE, DELETE' });
      }
    });
  });
  if (violations.length > 0) throw new ValidationError(violations, 'service roles');
}

/** `schema.*` → every table of the schema now; `schema.table` → itself (it must exist). */
async function tablesOf(em: EntityManager, table: string): Promise<string[]> {
  const [schema = '', name = ''] = table.split('.');
  if (name === '*') {
    const rows = (await em.query(`SELECT tablename FROM pg_tables WHERE schemaname = $1 AND tablename <> $2 ORDER BY 1`, [schema, migrationsTableOf(schema)])) as { tablename: string }[];
    return rows.map((r) => qualifiedTable(`${schema}.${r.tablename}`, 'grants.table').sql);
  }
  return [qualifiedTable(table, 'grants.table').sql];
}

/** `schema.*` → every sequence of the schema now (possibly none); `schema.sequence` → itself. */
async function sequencesOf(em: EntityManager, sequence: string): Promise<string[]> {
  const [schema = '', name = ''] = sequence.split('.');
  if (name !== '*') return [qualifiedTable(sequence, 'grants.sequence').sql];
  const rows = (await em.query(`SELECT sequencename FROM pg_sequences WHERE schemaname = $1 ORDER BY 1`, [schema])) as { sequencename: string }[];
  return rows.map((r) => qualifiedTable(`${schema}.${r.sequencename}`, 'grants.sequence').sql);
}

async function grant(em: EntityManager, role: string, g: RoleGrant): Promise<void> {
  if ('table' in g) {
    for (const t of await tablesOf(em, g.table)) await em.query(`GRANT ${g.privileges.join(', ')} ON TABLE ${t} TO ${role}`);
  } else if ('sequence' in g) {
    for (const q of await sequencesOf(em, g.sequence)) await em.query(`GRANT USAGE ON SEQUENCE ${q} TO ${role}`);
  } else {
    // Without an argument list: the name must be unique in its schema, which a grant wants anyway.
    await em.query(`GRANT EXECUTE ON FUNCTION ${qualifiedTable(g.function, 'grants.function').sql} TO ${role}`);
  }
}

function schemasOf(spec: ServiceRoleSpec): string[] {
  return [...new Set(spec.grants.map((g) => ('table' in g ? g.table : 'sequence' in g ? g.sequence : g.function).split('.')[0] ?? ''))];
}

async function ensureRole(em: EntityManager, spec: ServiceRoleSpec): Promise<void> {
  const role = identifier(spec.role, 'role');
  const existing = (await em.query('SELECT rolsuper, rolname = current_user AS is_me FROM pg_roles WHERE rolname = $1', [spec.role])) as { rolsuper: boolean; is_me: boolean }[];
  // Demoting a superuser (or ourselves) would lock the operator out: refuse, naming the fix.
  if (existing[0]?.rolsuper === true || existing[0]?.is_me === true) {
    throw new FailedPreconditionError(`role "${spec.role}" is a superuser or the migrating owner; a service needs its own role`, { role: spec.role });
  }
  if (existing.length === 0) await em.query(`CREATE ROLE ${role} ${SERVICE_ROLE_ATTRIBUTES}`);
  // Re-asserted every time: a pre-existing role of that name must not keep a bypass.
  await em.query(`ALTER ROLE ${role} ${SERVICE_ROLE_ATTRIBUTES} PASSWORD ${literal(spec.password)}`);
}

/**
 * Makes each service's login role and gives it exactly its grants in the connected database,
 * run by the owner after the migrations: PUBLIC's default rights (CONNECT, TEMP, EXECUTE) are
 * taken away, each role's rights on every managed schema are reset and then granted from the
 * plan (so the database ends up matching the plan, whatever was there), and SELECT on the
 * migration history of the schemas it uses (a service refuses to start on a stale schema).
 * Finally every role is checked against the start-up rules, so a bad plan fails here, at
 * deploy time. One transaction; roles are cluster-wide, so catalog races are retried.
 */
export async function provisionServiceRoles(ownerDs: DataSource, plan: ServiceRolesPlan): Promise<void> {
  validate(plan);
  await retryCatalogRace(
    () =>
      ownerDs.transaction(async (em) => {
        await em.query("SELECT pg_advisory_xact_lock(hashtext('weaver.service_roles'))");
        const [{ db }] = (await em.query('SELECT current_database() AS db')) as [{ db: string }];
        const database = `"${db.replace(/"/g, '""')}"`;
        await em.query(`REVOKE ALL ON DATABASE ${database} FROM PUBLIC`);
        await em.query('REVOKE ALL ON SCHEMA public FROM PUBLIC');
        for (const name of plan.schemas) {
          const schema = identifier(name, 'schemas');
          // Functions are executable by PUBLIC by default; here only by the roles granted.
          await em.query(`REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA ${schema} FROM PUBLIC`);
          await em.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC`);
        }
        for (const name of plan.retiredRoles ?? []) {
          const found = (await em.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name])) as unknown[];
          if (found.length > 0) await em.query(`DROP OWNED BY ${identifier(name, 'retiredRoles')}`);
        }
        for (const spec of plan.roles) {
          await ensureRole(em, spec);
          const role = identifier(spec.role, 'role');
          await em.query(`GRANT CONNECT ON DATABASE ${database} TO ${role}`);
          for (const name of plan.schemas) {
            const schema = identifier(name, 'schemas');
            await em.query(`REVOKE ALL ON ALL TABLES IN SCHEMA ${schema} FROM ${role}`);
            await em.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA ${schema} FROM ${role}`);
            await em.query(`REVOKE ALL ON ALL FUNCTIONS IN SCHEMA ${schema} FROM ${role}`);
            await em.query(`REVOKE ALL ON SCHEMA ${schema} FROM ${role}`);
          }
          for (const name of schemasOf(spec)) {
            const schema = identifier(name, 'schemas');
            await em.query(`GRANT USAGE ON SCHEMA ${schema} TO ${role}`);
            const history = (await em.query('SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = $2', [name, migrationsTableOf(name)])) as unknown[];
            if (history.length > 0) await em.query(`GRANT SELECT ON TABLE ${schema}.${identifier(migrationsTableOf(name), 'schemas')} TO ${role}`);
          }
          for (const g of spec.grants) await grant(em, role, g);
        }
        for (const spec of plan.roles) {
          const violations = await leastPrivilegeViolations(em, spec.role);
          if (violations.length > 0) throw new FailedPreconditionError(`the migrate step made role "${spec.role}" unfit to serve: ${describeViolations(violations)}`, { role: spec.role, violations });
        }
      }),
    12,
  );
}
