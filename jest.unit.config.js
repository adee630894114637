// Unit tests: `*.spec.ts` next to the code. No broker, no database.
const shared = require('./jest.shared');

module.exports = { ...shared, testMatch: ['**/*.spec.ts'] };
