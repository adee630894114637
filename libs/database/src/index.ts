/**
 * @weaver/database — Weaver's database as a whole: every schema and its migrations
 * (DATABASE_SCHEMAS), one role per service with exactly the grants its queries need
 * (SERVICE_GRANTS, SHARED_SCHEMA_GRANTS), and the migrate step that applies both
 * (`migrateWeaver`, run by libs/database/src/migrate.main.ts and the Kubernetes Job `weaver-migrate`). Serving
 * processes never import this: they open their schema with `openServiceDatabase` as their role.
 */
export * from './database-schemas';
export * from './service-grants';
export * from './migrate';
export * from './passwords-file';
