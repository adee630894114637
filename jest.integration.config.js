// Integration tests: `*.int-spec.ts`, against a real Kafka broker and a real PostgreSQL that the
// global setup starts once per test run (not per test) and shares through environment variables.
const shared = require('./jest.shared');

module.exports = {
  ...shared,
  testMatch: ['**/*.int-spec.ts'],
  globalSetup: '<rootDir>/tools/testing/global-setup.ts',
  globalTeardown: '<rootDir>/tools/testing/global-teardown.ts',
  testTimeout: 120_000,
  maxWorkers: 2,
};
