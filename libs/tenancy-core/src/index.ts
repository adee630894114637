/**
 * @weaver/tenancy-core — tenants and their API keys, in PostgreSQL schema `tenancy`.
 *
 * The migrate step (`@weaver/migrate`) migrates `tenancySchema`; the service then builds a
 * `TenantDirectory` on a DataSource of the tenancy role (weaver_tenancy) (`createDataSource({ url, ...tenancySchema })`).
 * Keys look like `wv_<32 base62>`; the plaintext is returned once, only its SHA-256 is kept,
 * and resolution needs no RLS bypass (see the `api_key_resolution` policy).
 */
export * from './tenant-directory';
// The admin API (issue 12): tenant states, the tenant list, key listing and rotation.
export * from './tenant-state';
export * from './tenant-lifecycle';
export { MAX_ROTATION_GRACE_SECONDS, type ApiKeyInfo } from './api-key-rows';
export * from './tenancy.schema';
export * from './trigger-keys';
export * from './quotas';
export * from './quota-store';
export { TENANCY_SCHEMA, TENANT_TIERS, type TenantTier } from './tenant.entity';
export { ResolutionCache, type ApiKeyResolution } from './resolution-cache';
export { isWellFormedApiKey } from './api-key';
// The client side of key resolution, for services that take tenants' keys at their edge (gateway, router).
export { ApiKeyResolver, apiKeyFromHeaders, type ApiKeyResolverOptions, type ResolvedKey } from './api-key-resolver';
export { CredentialThrottle } from './credential-throttle';
export { apiKeyEdgeConfigFields } from './api-key-config';
// Regions (docs/regions.md): home region, the replicated directory, failover.
export * from './region';
export * from './directory-record';
export { DirectoryPublisher } from './directory-publisher';
export { DirectoryReplica, type ReplicaOutcome } from './directory-replica';
export { adoptTenantsOf, failoverRegion } from './region-failover';
export { startDirectoryReplication, directoryTopics, DIRECTORY_PARTITIONS } from './directory-replication';
