/** Jest runs the TypeScript sources as ESM (got and p-queue are ESM-only). */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: { warnOnly: false } }],
  },
  testTimeout: 60000,
  // Integration tests spin up HTTP servers and SQLite files; two workers match CI's two cores.
  maxWorkers: 2,
  // Jest's summary, then one plain "N passed, N failed" line for CI (tests/helpers/closing-line-reporter.cjs).
  reporters: ['default', '<rootDir>/tests/helpers/closing-line-reporter.cjs'],
};
