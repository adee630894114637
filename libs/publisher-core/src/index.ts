/**
 * @weaver/publisher-core — step results, stored once per (tenant, run, step).
 *
 * `ResultPublisher.put` claims the key in `publisher.results` (row-level security, one row per
 * key) and writes the bytes to a `ResultStore` (FilesystemResultStore locally, S3ResultStore
 * for S3 and S3-compatible servers) under `tenants/<tenant>/runs/<run>/<step>`; a repeated put
 * returns the first result's ref without a token. The first put's ref carries a
 * `CapabilityTokens` JWS (EdDSA, kid-rotated keys from `capability-keys.ts`) that `get` and the
 * gateway's result endpoint verify with the same `verify`.
 * Objects are sealed at rest under the tenant's (or the run subject's) data key (`cipher`).
 */
export * from './capability-keys';
export * from './capability-token';
export * from './filesystem-result-store';
export * from './publisher.schema';
export * from './result-key';
export * from './result-publisher';
export * from './result-store';
export * from './s3-result-store';
export { PUBLISHER_SCHEMA } from './result.entity';
export * from './result-store.config';
