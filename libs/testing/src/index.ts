/**
 * @weaver/testing — harness helpers for Weaver's tests.
 *
 * Integration tests run against real components that the jest global setup starts once per run
 * (`WEAVER_TEST_PG_URL`, `WEAVER_TEST_KAFKA_BROKERS`); each test file makes its own isolated
 * resources from them, e.g. `createMigratedTestDatabase()` for a fresh database with the
 * migrate step run (every schema, one role per service).
 */
export * from './postgres';
export * from './providers';
export * from './migrated-database';
