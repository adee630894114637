/**
 * @weaver/database — who may do what in Weaver's database: one role per service with exactly
 * the grants its queries need (SERVICE_GRANTS, SHARED_SCHEMA_GRANTS), the services' passwords,
 * and `migrateWeaver`, the migrate step over a list of schemas. The list of every schema is
 * `DATABASE_SCHEMAS` in `@weaver/migrate` (kept apart so that libraries' tests can use this
 * without depending on every library). Serving processes never import this: they open their
 * schema with `openServiceDatabase` as their role.
 */
export * from './service-grants';
export * from './migrate';
export * from './passwords-file';
export * from './test-database';
