/**
 * @weaver/tenancy-core — tenants and their API keys, in PostgreSQL schema `tenancy`.
 *
 * Run `runMigrations({ url: ownerUrl, ...tenancySchema, appRole })` at start, then build a
 * `TenantDirectory` on a weaver_app DataSource (`createDataSource({ url, ...tenancySchema })`).
 * Keys look like `wv_<32 base62>`; the plaintext is returned once, only its SHA-256 is kept,
 * and resolution needs no RLS bypass (see the `api_key_resolution` policy).
 */
export * from './tenant-directory';
export * from './tenancy.schema';
export * from './quotas';
export * from './quota-store';
export { TENANCY_SCHEMA, TENANT_TIERS, type TenantTier } from './tenant.entity';
export type { ApiKeyResolution } from './resolution-cache';
export { isWellFormedApiKey } from './api-key';
