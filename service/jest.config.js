/** @type {import('jest').Config} */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/src'],
  testTimeout: 60000,
  // `jest --coverage` (npm test's service stage): jest's own line and branch coverage of the
  // service code; under 90% of lines fails the stage. Reports go to coverage/service/.
  collectCoverageFrom: [
    'src/**/*.ts',
    '!src/**/*.test.ts',
    '!src/test-support/**',
    '!src/bench/**' // the load generator (npm run bench), not the service
  ],
  coverageDirectory: '<rootDir>/../coverage/service',
  coverageReporters: ['text-summary', 'json-summary', 'lcov'],
  coverageThreshold: { global: { lines: 90 } }
};
