import type { Migration } from './migration.js';

/**
 * Shadow runs (issue 12, item 3).
 *
 * - `shadow_runs`: one row per shadow run of a mapping version over a flow's source window, with its
 *   counts, the UTC day it ran (`period`) and whether it was clean (finished, at least one record,
 *   none refused by Odoo, none the tried version failed to map that the active version mapped): the promotion gate counts distinct clean periods per version.
 * - `shadow_records`: per record read, the verdict, the target's or mapping's message and the field
 *   differences with the active version (JSON). Payload values live only here, never in the audit.
 * - `shadow_gates`: per mapping, the clean periods a version needs before `mappings.activate`
 *   accepts it. No row: 0, no gate (every mapping before this migration).
 *
 * No foreign keys to flows or mappings, like exceptions: a report is evidence that outlives a flow.
 */
export const migration015ShadowRuns: Migration = {
  version: 15,
  name: 'shadow-runs',
  sql: `
CREATE TABLE shadow_runs (
  id TEXT PRIMARY KEY,
  flow_id TEXT NOT NULL,
  mapping_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  active_version INTEGER,
  window_json TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'finished', 'failed')),
  started_at TEXT NOT NULL,
  started_by TEXT NOT NULL,
  finished_at TEXT,
  period TEXT NOT NULL,
  records INTEGER NOT NULL DEFAULT 0,
  differing INTEGER NOT NULL DEFAULT 0,
  accepted INTEGER NOT NULL DEFAULT 0,
  refused INTEGER NOT NULL DEFAULT 0,
  unmapped INTEGER NOT NULL DEFAULT 0,
  unchecked INTEGER NOT NULL DEFAULT 0,
  clean INTEGER NOT NULL DEFAULT 0 CHECK (clean IN (0, 1)),
  checked_by TEXT NOT NULL DEFAULT '',
  error TEXT
) STRICT;
CREATE INDEX shadow_runs_by_flow ON shadow_runs (flow_id, started_at);
CREATE INDEX shadow_runs_by_mapping ON shadow_runs (mapping_id, version, clean, period);

CREATE TABLE shadow_records (
  run_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  source_id TEXT NOT NULL,
  source_version TEXT NOT NULL,
  target_key TEXT,
  target_id TEXT,
  active_mapped INTEGER CHECK (active_mapped IN (0, 1)),
  verdict TEXT NOT NULL CHECK (verdict IN ('accepted', 'refused', 'unmapped', 'unchecked')),
  message TEXT,
  diffs_json TEXT,
  PRIMARY KEY (run_id, seq)
) STRICT, WITHOUT ROWID;

CREATE TABLE shadow_gates (
  mapping_id TEXT PRIMARY KEY,
  periods_required INTEGER NOT NULL CHECK (periods_required >= 0),
  updated_by TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
`,
};
