// @ts-check
/**
 * StrykerJS mutation testing (`npm run test:mutation`, not part of `npm test` or CI's default run):
 * mutates the code whose tests must be able to fail, and reports which mutants no test notices.
 * One module per Stryker run (OSC_MUTATION_MODULE, set by scripts/test-mutation.mjs), so each has its
 * own score, report and incremental file. Sized for a shared 2-core machine: at most two test
 * processes, only the tests related to the mutated files (vitest's import graph over the list in
 * test/mutation/vitest.mutation.config.ts), per-test coverage so a mutant runs only the tests that
 * reach it, static mutants (module-level constants, re-run every test) left out, and an incremental
 * file so a rerun tests only the mutants whose code or tests changed. Everything it writes goes
 * under test-results/ (not committed). SURVIVORS.md says why the surviving mutants are left.
 * @type {Record<string, string[]>}
 */
export const MODULES = {
  // Ranges: the authorization part of the dispatcher and of the contract's role check.
  authorization: ['main/api/dispatcher.ts:39-50', 'shared/contract/roles.ts:20-23'],
  'webhook-check': ['main/connectors/webhook/inbound-check.ts', 'main/connectors/webhook/signature.ts'],
  'engine-pipeline': [
    'main/engine/pipeline/run-pipeline.ts',
    'main/engine/pipeline/map-page.ts',
    'main/engine/pipeline/load-chunk.ts',
    'main/engine/pipeline/order-waves.ts',
    'main/engine/store/batch-commit.ts',
  ],
  'audit-store': [
    'main/store/audit/prepare-audit-append.ts',
    'main/store/audit/audit-hash.ts',
    'main/store/audit/canonical-json.ts',
    'main/store/audit/sqlite-audit-log.ts',
    'main/store/audit/verify-audit-chain.ts',
  ],
  'odoo-upsert': [
    'main/connectors/odoo/upsert.ts',
    'main/connectors/odoo/load-batch.ts',
    'main/connectors/odoo/known-record-updates.ts',
  ],
};

const name = process.env.OSC_MUTATION_MODULE ?? 'engine-pipeline';
const mutate = MODULES[name];
if (mutate === undefined)
  throw new Error(`Unknown mutation module "${name}": ${Object.keys(MODULES).join(', ')}`);
const out = `test-results/mutation/${name}`;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'test/mutation/vitest.mutation.config.ts', related: true },
  coverageAnalysis: 'perTest',
  ignoreStatic: true,
  mutate,
  concurrency: Number(process.env.OSC_MUTATION_CONCURRENCY ?? 2),
  timeoutMS: 15_000,
  timeoutFactor: 2,
  incremental: true,
  incrementalFile: `${out}/incremental.json`,
  tempDirName: 'test-results/stryker-tmp',
  cleanTempDir: true,
  ignorePatterns: ['dist', 'release', 'test-results', '.osc-data', 'coverage'],
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: `${out}/report.html` },
  jsonReporter: { fileName: `${out}/report.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  warnings: { slow: false },
};
