/**
 * Jest: swc transform, one global set of real local services (see tests/support/global-setup.ts). Admin UI
 * component tests (admin-ui/src/**\/*.test.tsx) run here too, each in jsdom through its
 * `@jest-environment jsdom` docblock, so `npm test` and .ci/run's JSON report cover them.
 */
const swc = (tsx) => [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', tsx },
      ...(tsx ? { transform: { react: { runtime: 'automatic' } } } : {}),
    },
    module: { type: 'commonjs' },
  },
];

module.exports = {
  testEnvironment: 'node',
  roots: [
    '<rootDir>/functions',
    '<rootDir>/shared',
    '<rootDir>/hosts',
    '<rootDir>/dev',
    '<rootDir>/tests',
    '<rootDir>/tools',
    '<rootDir>/admin-ui/src',
  ],
  testMatch: ['**/*.test.ts', '**/*.test.tsx'],
  transform: { '^.+\\.tsx$': swc(true), '^.+\\.ts$': swc(false) },
  // Stylesheets imported by components mean nothing to jsdom.
  moduleNameMapper: { '\\.css$': '<rootDir>/admin-ui/test-support/style-stub.ts' },
  // jsdom lacks TextEncoder/TextDecoder, which react-router reads when it loads: filled in once for every UI
  // test (a no-op in the node environment, which has them).
  // tests/support/outbound-loopback.ts: the outbound address rule's local exception for the 127.0.0.1 sandboxes.
  setupFiles: ['<rootDir>/admin-ui/test-support/polyfills.ts', '<rootDir>/tests/support/outbound-loopback.ts'],
  globalSetup: '<rootDir>/tests/support/global-setup.ts',
  globalTeardown: '<rootDir>/tests/support/global-teardown.ts',
  testTimeout: 30000,
  maxWorkers: 2,
};
