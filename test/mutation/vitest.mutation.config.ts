import { defineConfig } from 'vitest/config';

/**
 * The tests Stryker runs against each mutant: only those that exercise the mutated modules (engine
 * pipeline + batch commit, audit store, authorization, webhook check, Odoo upsert path), and only
 * tests that need neither dist/ nor a browser, so a mutant costs seconds and the run fits a shared
 * 2-core machine. The vault-touching ones (role matrix) get the private keyring from
 * scripts/test-mutation.mjs, as under `npm test`.
 */
export const MUTATION_TESTS = [
  // engine pipeline, batch commit (cursor, lineage, payload hashes)
  'test/unit/engine/map-ahead.test.ts',
  'test/unit/engine/pipeline-parts.test.ts',
  'test/unit/engine/page-chunks.test.ts',
  'test/integration/engine/batch-commit.test.ts',
  'test/integration/engine/engine-core.test.ts',
  'test/integration/engine/rerun-guarantees.test.ts',
  'test/integration/engine/run-lifecycle.test.ts',
  'test/integration/engine/known-target-ids.test.ts',
  // audit store
  'test/unit/store/audit-hash.test.ts',
  'test/unit/store/audit-head-anchor.test.ts',
  'test/unit/store/prepare-audit-append.test.ts',
  'test/unit/store/prepare-audit-append-guards.test.ts',
  'test/unit/store/canonical-json.test.ts',
  'test/integration/store/audit-log.test.ts',
  'test/integration/store/store-integrity.test.ts',
  'test/integration/store/audit-tamper.test.ts',
  // authorization (the dispatcher enforcing the contract's roles)
  'test/unit/api/roles-allow.test.ts',
  'test/integration/api/role-matrix.test.ts',
  'test/integration/api/dispatcher.test.ts',
  // webhook check and signatures
  'test/unit/webhook/inbound-check.test.ts',
  'test/unit/webhook/inbound-check-edges.test.ts',
  'test/unit/webhook/signature.test.ts',
  'test/integration/api/webhook-signature.test.ts',
  // Odoo upsert path
  'test/unit/odoo/load-batch.test.ts',
  'test/unit/odoo/load-rounds.test.ts',
  'test/unit/odoo/known-record-updates.test.ts',
  'test/unit/odoo/known-record-edges.test.ts',
  'test/unit/odoo/load-batch-edges.test.ts',
  'test/unit/odoo/upsert-edges.test.ts',
  'test/integration/odoo/upsert.test.ts',
  'test/integration/odoo/upsert-least-privilege.test.ts',
  'test/integration/odoo/upsert-known-created.test.ts',
];

export default defineConfig({
  test: {
    root: `${import.meta.dirname}/../..`,
    include: MUTATION_TESTS,
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
