import type { Migration } from './migration.js';

/**
 * Reconciliation (issue 12, item 1).
 *
 * - `reconcile_facts`: the console's ledger of what the source said and what it wrote, one row per
 *   written target key of a flow that reconciles, upserted in the transaction that commits the
 *   write's lineage (batch-commit.ts): the source record, the Odoo id, the period date and amount
 *   the mapped payload gave, the payload hash and when it was written. Per-period counts and sums
 *   come from here with one indexed query.
 * - `reconcile_runs`: one reconciliation of one flow (on demand or scheduled) and its outcome.
 * - `reconcile_periods`: per period of a run, Odoo's, the console's and the source's totals.
 * - `reconcile_differences`: each typed difference a run found, with the exception it opened (or
 *   found open already). `identity` names the difference across runs (type + key/id), so one still
 *   there is not opened twice and one gone settles its exception.
 *
 * No foreign key to flows, like exceptions: a reconciliation is evidence that outlives a flow.
 */
export const migration014Reconciliation: Migration = {
  version: 14,
  name: 'reconciliation',
  sql: `
CREATE TABLE reconcile_facts (
  flow_id TEXT NOT NULL,
  target_key TEXT NOT NULL,
  target_id TEXT NOT NULL,
  source_type TEXT NOT NULL,
  source_id TEXT NOT NULL,
  period_date TEXT,
  amount REAL,
  key_value TEXT,
  payload_hash TEXT NOT NULL,
  written_at TEXT NOT NULL,
  PRIMARY KEY (flow_id, target_key)
) STRICT;
CREATE INDEX reconcile_facts_by_period ON reconcile_facts (flow_id, period_date);
CREATE INDEX reconcile_facts_by_source ON reconcile_facts (flow_id, source_id);

CREATE TABLE reconcile_runs (
  id TEXT PRIMARY KEY,
  flow_id TEXT NOT NULL,
  trigger TEXT NOT NULL CHECK (trigger IN ('manual', 'schedule')),
  requested_by TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  state TEXT NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'balanced', 'differences', 'failed')),
  periods INTEGER NOT NULL DEFAULT 0,
  periods_balanced INTEGER NOT NULL DEFAULT 0,
  differences_found INTEGER NOT NULL DEFAULT 0,
  differences_new INTEGER NOT NULL DEFAULT 0,
  odoo_calls INTEGER NOT NULL DEFAULT 0,
  error TEXT
) STRICT;
CREATE INDEX reconcile_runs_by_flow ON reconcile_runs (flow_id, started_at);

CREATE TABLE reconcile_periods (
  run_id TEXT NOT NULL,
  period TEXT NOT NULL,
  odoo_count INTEGER NOT NULL,
  odoo_amount REAL,
  console_count INTEGER NOT NULL,
  console_amount REAL,
  source_count INTEGER,
  balanced INTEGER NOT NULL CHECK (balanced IN (0, 1)),
  differences INTEGER NOT NULL,
  PRIMARY KEY (run_id, period)
) STRICT;

CREATE TABLE reconcile_differences (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id TEXT NOT NULL,
  flow_id TEXT NOT NULL,
  period TEXT NOT NULL,
  day TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('missing-in-odoo', 'extra-in-odoo', 'amount-differs', 'duplicate',
    'never-synced', 'changed-in-odoo')),
  identity TEXT NOT NULL,
  target_key TEXT,
  odoo_id INTEGER,
  source_id TEXT,
  expected TEXT,
  found TEXT,
  message TEXT NOT NULL,
  exception_id TEXT,
  is_new INTEGER NOT NULL CHECK (is_new IN (0, 1))
) STRICT;
CREATE INDEX reconcile_differences_by_run ON reconcile_differences (run_id, id);
CREATE INDEX reconcile_differences_by_flow ON reconcile_differences (flow_id, period);
`,
};
