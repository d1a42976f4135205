// @ts-check
/**
 * StrykerJS mutation testing (`npm run test:mutation`, not part of `npm test` or CI's default run):
 * mutates the code whose tests must be able to fail, and reports which mutants no test notices.
 * Sized for a shared 2-core machine: one or two test processes, only the related tests
 * (test/mutation/vitest.mutation.config.ts), per-test coverage so a mutant runs only the tests that
 * reach it, and an incremental file so a rerun tests only the mutants whose code or tests changed.
 * Reports and the sandbox go under test-results/ (not committed). `--mutate FILES` narrows a run.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'test/mutation/vitest.mutation.config.ts', related: false },
  coverageAnalysis: 'perTest',
  checkers: [],
  mutate: [
    'main/engine/pipeline/*.ts',
    'main/engine/store/batch-commit.ts',
    'main/store/audit/*.ts',
    'main/api/dispatcher.ts',
    'shared/contract/roles.ts',
    'main/connectors/webhook/inbound-check.ts',
    'main/connectors/webhook/signature.ts',
    'main/connectors/odoo/upsert.ts',
    'main/connectors/odoo/load-batch.ts',
    'main/connectors/odoo/load-rounds.ts',
    'main/connectors/odoo/known-record-updates.ts',
  ],
  concurrency: Number(process.env.OSC_MUTATION_CONCURRENCY ?? 2),
  timeoutMS: 15_000,
  timeoutFactor: 2,
  incremental: true,
  incrementalFile: 'test-results/mutation/stryker-incremental.json',
  tempDirName: 'test-results/stryker-tmp',
  cleanTempDir: true,
  ignorePatterns: ['dist', 'release', 'test-results', '.osc-data', 'coverage'],
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'test-results/mutation/report.html' },
  jsonReporter: { fileName: 'test-results/mutation/report.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
};
