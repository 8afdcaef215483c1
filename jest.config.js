// One jest project per component; swc strips types (type checking is `npm run typecheck`).
const transform = {
  '^.+\\.(t|j)sx?$': [
    '@swc/jest',
    { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
  ],
};

function project(displayName, roots, extra = {}) {
  return {
    displayName,
    roots,
    transform,
    testEnvironment: 'node',
    testMatch: ['**/*.test.ts'],
    testPathIgnorePatterns: ['/node_modules/', '/fixtures/'],
    ...extra,
  };
}

const fs = require('node:fs');
const path = require('node:path');
const exists = (p) => fs.existsSync(path.join(__dirname, p.replace('<rootDir>/', '')));

module.exports = {
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  reporters: ['default', '<rootDir>/test/support/engine-count-reporter.js'],
  testTimeout: 30000,
  projects: [
    project('common', ['<rootDir>/common']),
    project('legacy-monolith', ['<rootDir>/legacy-monolith']),
    project('strangler-proxy', ['<rootDir>/strangler-proxy']),
    project('seams', ['<rootDir>/seams']),
    project('extracted', ['<rootDir>/extracted']),
    project('data-movement', ['<rootDir>/data-movement']),
    project('scripts', ['<rootDir>/scripts']),
    project('contracts', ['<rootDir>/contracts']),
    project('exercises', ['<rootDir>/exercises']),
    project('events', ['<rootDir>/events'], {
      globalSetup: '<rootDir>/events/test/support/global-setup.ts',
    }),
    project('end-to-end', ['<rootDir>/test'], {
      testPathIgnorePatterns: ['/node_modules/', '/fixtures/', '/before-after/'],
    }),
    // The same black-box suite, once per mode; each mode's global setup starts its stack (or uses TARGET_URL).
    // The global setup reads the project's name (e.g. after-postgres) to know which stack to start.
    ...['before', 'before-postgres', 'after', 'after-canary', 'after-postgres', 'after-nginx'].map(
      (mode) =>
        project(mode, ['<rootDir>/test/before-after'], {
          globalSetup: '<rootDir>/test/before-after/global-setup.ts',
          globalTeardown: '<rootDir>/test/before-after/teardown.ts',
          globals: { BEFORE_AFTER_MODE: mode },
        }),
    ),
  ].filter((p) => p.roots.every(exists)),
};
