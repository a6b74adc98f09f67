// The fault suite (npm run test:faults → scripts/test-faults.mjs): each spec starts its own
// PostgreSQL, Redis, Jira simulator and the built service, then breaks one of them.
// Run in band: the specs measure recovery times, and the machine's cores are shared.
const { join } = require('node:path');

module.exports = {
  rootDir: join(__dirname, '..', '..'),
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  moduleNameMapper: { '^@app/(.*)$': '<rootDir>/src/$1' },
  testMatch: ['<rootDir>/test/faults/**/*.fault-spec.ts'],
  testTimeout: 180_000,
  slowTestThreshold: 120,
};
