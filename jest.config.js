/** Jest 30 on ESM TypeScript: see ../shared/reference/toolchain.md. */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': '<rootDir>/__tests__/esbuild-transform.js',
    // The workflow tests' judge imports its schema JSON without the attribute Node requires.
    '/node_modules/@actions/workflow-parser/dist/.+\\.js$': '<rootDir>/__tests__/json-import-attributes.js'
  },
  transformIgnorePatterns: ['/node_modules/(?!@actions/workflow-parser/)'],
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  // Nothing in the system's temp folder: the cache lives with the dependencies, and the
  // tests' temporary files under one folder that the teardown removes.
  cacheDirectory: '<rootDir>/node_modules/.cache/jest',
  globalSetup: '<rootDir>/__tests__/global-setup.js',
  globalTeardown: '<rootDir>/__tests__/global-teardown.js',
  // End-to-end tests spawn the built action and a loopback emulator; give them room.
  testTimeout: 60000,
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/__tests__/closing-line-reporter.js']
}
