/** What a service's database role may do, as data: the migrate step applies it, tests read it. */
export type TablePrivilege = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';

/**
 * One grant. Tables are `schema.table`, or `schema.*` for every table the schema has when the
 * migrate step runs (for schemas whose tables all share one access rule, e.g. `keys`). Sequences
 * get USAGE (nextval for a serial column), functions EXECUTE. Never DDL, TRUNCATE, REFERENCES or
 * TRIGGER: nothing here can change the schema.
 */
export type RoleGrant =
  | { readonly table: string; readonly privileges: readonly TablePrivilege[] }
  | { readonly sequence: string }
  | { readonly function: string };

export interface ServiceRoleSpec {
  /** The login role, e.g. `weaver_gateway`. */
  readonly role: string;
  readonly password: string;
  readonly grants: readonly RoleGrant[];
}

/** Attributes that keep a service's role under row-level security and out of DDL and role admin. */
export const SERVICE_ROLE_ATTRIBUTES = 'LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION NOINHERIT';
