/**
 * @weaver/tenancy-core — tenants and their API keys, in PostgreSQL schema `tenancy`.
 *
 * The migrate step (`@weaver/migrate`) migrates `tenancySchema`; the service then builds a
 * `TenantDirectory` on a DataSource of the tenancy role (weaver_tenancy) (`createDataSource({ url, ...tenancySchema })`).
 * Keys look like `wv_<32 base62>`; the plaintext is returned once, only its SHA-256 is kept,
 * and resolution needs no RLS bypass (see the `api_key_resolution` policy).
 */
export * from './tenant-directory';
export * from './tenancy.schema';
export * from './trigger-keys';
export { TENANCY_SCHEMA, TENANT_TIERS, type TenantTier } from './tenant.entity';
export { ResolutionCache, type ApiKeyResolution } from './resolution-cache';
export { isWellFormedApiKey } from './api-key';
