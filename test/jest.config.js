/**
 * End-to-end tests: ONE real JupyterHub (started by globalSetup, stopped by globalTeardown)
 * shared by every test file. Run through `npm test -w @ngshare-ts/e2e` (venv setup + --runInBand).
 * @type {import('jest').Config}
 */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/.cache/', '<rootDir>/artifacts/'],
  modulePathIgnorePatterns: ['<rootDir>/.cache/'],
  globalSetup: '<rootDir>/harness/global-setup.ts',
  globalTeardown: '<rootDir>/harness/global-teardown.ts',
  testTimeout: 180000,
  slowTestThreshold: 60
};
