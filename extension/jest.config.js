/**
 * Jest setup in the JupyterLab style: TypeScript through ts-jest, jsdom for components, and the
 * ES-module-only dependencies (@jupyterlab/*, @lumino/*, lib0, yjs ...) transformed too, because
 * jest runs CommonJS. Unit tests replace the service client and the contents manager with
 * stand-ins; nothing here talks to a network.
 */
// Local times are New York's in every unit test, whatever the machine's zone, so code that turns
// the viewer's clock into UTC cannot pass just because the machine runs in UTC (jest's sandbox
// does not pass a later change of TZ on to Date).
process.env.TZ = 'America/New_York';

const esModules = [
  '@codemirror',
  '@microsoft',
  '@jupyter',
  '@jupyterlab',
  '@lumino',
  'exenv-es6',
  'lib0',
  'nanoid',
  'vscode-ws-jsonrpc',
  'y-protocols',
  'y-websocket',
  'yjs'
].join('|');

module.exports = {
  testEnvironment: 'jsdom',
  roots: ['<rootDir>/src'],
  testMatch: ['**/*.spec.ts', '**/*.spec.tsx'],
  moduleFileExtensions: ['ts', 'tsx', 'js', 'jsx', 'json'],
  transform: {
    '^.+\\.tsx?$': [
      'ts-jest',
      {
        tsconfig: {
          module: 'commonjs',
          jsx: 'react',
          esModuleInterop: true,
          allowJs: true,
          isolatedModules: true
        },
        diagnostics: { warnOnly: false }
      }
    ],
    '^.+\\.jsx?$': [
      'ts-jest',
      { tsconfig: { module: 'commonjs', allowJs: true, isolatedModules: true } }
    ]
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esModules}))`],
  moduleNameMapper: {
    '\\.(css|svg)$': '<rootDir>/src/testutils/style-mock.js'
  },
  setupFiles: ['<rootDir>/src/testutils/setup.js'],
  // `jest --coverage` (npm test's extension stage): jest's own line and branch coverage,
  // reported (text summary) and written to coverage/extension/.
  collectCoverageFrom: [
    'src/**/*.{ts,tsx}',
    '!src/**/*.spec.{ts,tsx}',
    '!src/testutils/**',
    '!src/**/*.d.ts'
  ],
  coverageDirectory: '<rootDir>/../coverage/extension',
  coverageReporters: ['text-summary', 'json-summary', 'lcov']
};
