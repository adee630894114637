/**
 * @weaver/persistence — PostgreSQL for Weaver's services, through TypeORM.
 *
 * One database, one schema per service. At start a service calls `runMigrations` with the
 * owner's URL (which also ensures the `weaver_app` role and its grants), then
 * `createDataSource(...).initialize()` with weaver_app's URL. Tenant-owned tables get
 * `enableTenantRls` in their migration, and every query on them runs inside
 * `withTenant(ds, tenantId, (em) => ...)`, so PostgreSQL itself keeps tenants apart.
 */
export * from './data-source.factory';
export * from './migrations.runner';
export * from './service-database';
export * from './app-role';
export * from './tenant-rls';
export * from './with-tenant';
export * from './query-results';
export { identifier, qualifiedTable } from './identifiers';
export * from './tenant-batcher';
