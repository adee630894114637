/**
 * @weaver/testing — harness helpers for Weaver's tests.
 *
 * Integration tests run against real components that the jest global setup starts once per run
 * (`WEAVER_TEST_PG_URL`, `WEAVER_TEST_KAFKA_BROKERS`); each test file makes its own isolated
 * resources from them, e.g. `createTestDatabase()` for a fresh database (then
 * `migrateTestDatabase` from `@weaver/database` runs the migrate step on it: schemas, one role
 * per service).
 * gRPC is mutual TLS in tests too: `testTlsEnv('router')` for a service's env,
 * `testGrpcSecurity('operator')` for a client (certificates from WEAVER_TEST_CERTS_DIR).
 */
export * from './certificates';
export * from './embedder';
export * from './file-scan';
// The reference MCP servers from npm (server-filesystem, server-everything), run with this node.
export * from './mcp-servers';
export * from './postgres';
export * from './providers';
export * from './tenant-keys';
