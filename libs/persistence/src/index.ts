/**
 * @weaver/persistence — PostgreSQL for Weaver's services, through TypeORM.
 *
 * One database, one schema per service. The migrate step (`migrateDatabase`, run by
 * libs/migrate/src/migrate.main.ts or a Kubernetes Job with the owner's URL) applies every schema's migrations and
 * makes each service's own login role with grants on exactly what it uses
 * (`provisionServiceRoles`). A service opens its database with `openServiceDatabase` as that
 * role, which refuses to serve a role that could get around RLS (`assertLeastPrivilege`). Tenant-owned tables get
 * `enableTenantRls` in their migration, and every query on them runs inside
 * `withTenant(ds, tenantId, (em) => ...)`, so PostgreSQL itself keeps tenants apart.
 */
export * from './data-source.factory';
export * from './migrations.runner';
export * from './service-database';
export * from './migrate-database';
export * from './roles/service-role.types';
export * from './roles/service-roles';
export * from './roles/least-privilege';
export * from './tenant-rls';
export * from './with-tenant';
export * from './query-results';
export { identifier, qualifiedTable } from './identifiers';
export * from './tenant-batcher';
