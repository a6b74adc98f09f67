// Unit specs, e2e specs that boot the app against a real database, and browser
// specs. scripts/test.mjs runs the e2e project once per storage mode.
const transform = { '^.+\\.ts$': ['@swc/jest'] };
// The @app/* path alias of tsconfig.json.
const moduleNameMapper = { '^@app/(.*)$': '<rootDir>/src/$1' };
module.exports = {
  testTimeout: 60_000,
  projects: [
    { displayName: 'unit', testEnvironment: 'node', transform, moduleNameMapper, testMatch: ['<rootDir>/test/unit/**/*.spec.ts'] },
    { displayName: 'e2e', testEnvironment: 'node', transform, moduleNameMapper, testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'], slowTestThreshold: 30,
      // Every answer the specs receive is checked against openapi.json.
      setupFilesAfterEnv: ['<rootDir>/test/support/openapi-validation.setup.ts'] },
    // The settings UI in a real browser (Debian's Chromium through playwright-core).
    { displayName: 'browser', testEnvironment: 'node', transform, moduleNameMapper, testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'], slowTestThreshold: 60 },
  ],
};
