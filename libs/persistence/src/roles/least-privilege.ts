import { FailedPreconditionError } from '@weaver/errors';

/** Anything that runs a query: a DataSource, an EntityManager, a QueryRunner (rows) or a pg Client ({ rows }). */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

async function rows<T>(db: Queryable, sql: string, parameters?: unknown[]): Promise<T[]> {
  const result = (await db.query(sql, parameters)) as T[] | { rows: T[] };
  return Array.isArray(result) ? result : result.rows;
}

/**
 * The rules a serving role must keep. Each is a way around row-level security or the schema:
 * a superuser or BYPASSRLS role skips the policies; an owner can ALTER/DROP its tables and turn
 * RLS off (FORCE only binds it while it leaves the table alone); CREATEROLE can grant itself
 * other roles; CREATEDB makes databases; and a member of any such role can SET ROLE to it.
 */
export const LEAST_PRIVILEGE_RULES = {
  superuser: 'is a superuser (bypasses row-level security and every grant)',
  bypassrls: 'has BYPASSRLS (skips every row-level security policy)',
  createrole: 'has CREATEROLE (can create roles and grant itself their rights)',
  createdb: 'has CREATEDB',
  'owns-tenant-table': 'owns a table under row-level security (an owner can disable the policy)',
  'owns-table': 'owns a table (an owner can alter or drop it)',
  'owns-schema': 'owns a schema (an owner can drop everything in it)',
  'member-of-superuser': 'is a member of a superuser role (SET ROLE makes it one)',
  'member-of-owner': 'is a member of a role that owns tables, schemas or functions here',
  'member-of-bypassrls': 'is a member of a BYPASSRLS role',
} as const;

export type LeastPrivilegeRule = keyof typeof LEAST_PRIVILEGE_RULES;

export interface LeastPrivilegeViolation {
  readonly rule: LeastPrivilegeRule;
  /** The role checked. */
  readonly role: string;
  /** The table, schema or role the rule is about, when there is one. */
  readonly object?: string;
}

const USER_SCHEMA = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'`;

/** Roles that own a table, schema or function outside the system catalogs of this database. */
const OWNERS = `
  SELECT c.relowner AS owner FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND ${USER_SCHEMA}
  UNION SELECT n.nspowner FROM pg_namespace n WHERE ${USER_SCHEMA}
  UNION SELECT p.proowner FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE ${USER_SCHEMA}`;

interface RoleRow {
  rolsuper: boolean;
  rolbypassrls: boolean;
  rolcreaterole: boolean;
  rolcreatedb: boolean;
}

/**
 * Every rule `role` breaks in the connected database (empty: it may serve). Three catalog
 * queries, run once at start — never per request.
 */
export async function leastPrivilegeViolations(db: Queryable, role: string): Promise<LeastPrivilegeViolation[]> {
  const [attrs] = await rows<RoleRow>(db, 'SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = $1', [role]);
  if (attrs === undefined) throw new FailedPreconditionError(`database role "${role}" does not exist: run the migrate step (libs/migrate/src/migrate.main.ts) first`, { role });
  const found: LeastPrivilegeViolation[] = [];
  const add = (rule: LeastPrivilegeRule, object?: string): void => void found.push(object === undefined ? { rule, role } : { rule, role, object });
  if (attrs.rolsuper) {
    add('superuser');
    return found; // a superuser is a member of every role: the other rules would only repeat it
  }
  if (attrs.rolbypassrls) add('bypassrls');
  if (attrs.rolcreaterole) add('createrole');
  if (attrs.rolcreatedb) add('createdb');
  const tables = await rows<{ name: string; rls: boolean }>(
    db,
    `SELECT n.nspname || '.' || c.relname AS name, c.relrowsecurity AS rls FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relowner = (SELECT oid FROM pg_roles WHERE rolname = $1) AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND ${USER_SCHEMA} ORDER BY 1`,
    [role],
  );
  for (const t of tables) add(t.rls ? 'owns-tenant-table' : 'owns-table', t.name);
  const schemas = await rows<{ name: string }>(db, `SELECT n.nspname AS name FROM pg_namespace n WHERE n.nspowner = (SELECT oid FROM pg_roles WHERE rolname = $1) AND ${USER_SCHEMA} ORDER BY 1`, [role]);
  for (const s of schemas) add('owns-schema', s.name);
  // pg_has_role(..., 'MEMBER'): direct or through other roles, with or without INHERIT.
  const memberships = await rows<{ name: string; superuser: boolean; owner: boolean }>(
    db,
    `SELECT r.rolname AS name, r.rolsuper AS superuser, r.rolbypassrls AS bypassrls, r.oid IN (${OWNERS}) AS owner
     FROM pg_roles r WHERE r.rolname <> $1 AND pg_has_role($1::name, r.oid, 'MEMBER') AND (r.rolsuper OR r.rolbypassrls OR r.oid IN (${OWNERS})) ORDER BY 1`,
    [role],
  );
  for (const m of memberships) add(m.superuser ? 'member-of-superuser' : m.owner ? 'member-of-owner' : 'member-of-bypassrls', m.name);
  return found;
}

/** "rule "x": <role> <what the rule says> (<object>)" for each violation, joined. */
export function describeViolations(violations: readonly LeastPrivilegeViolation[]): string {
  return violations.map((v) => `rule "${v.rule}": role "${v.role}" ${LEAST_PRIVILEGE_RULES[v.rule]}${v.object === undefined ? '' : ` ("${v.object}")`}`).join('; ');
}

/**
 * The start-up check of every serving process: refuses (FailedPreconditionError, naming each
 * rule and the role) when the role it connected as could get around row-level security or the
 * schema. Services connect as their own role, made by the migrate step.
 */
export async function assertLeastPrivilege(db: Queryable): Promise<string> {
  const [{ role } = { role: '' }] = await rows<{ role: string }>(db, 'SELECT current_user AS role');
  const violations = await leastPrivilegeViolations(db, role);
  if (violations.length > 0) {
    throw new FailedPreconditionError(
      `refusing to serve as database role "${role}": ${describeViolations(violations)}. Services connect as their own least-privilege role (made by the migrate step, libs/migrate/src/migrate.main.ts), never as an owner or superuser`,
      { role, violations },
    );
  }
  return role;
}
