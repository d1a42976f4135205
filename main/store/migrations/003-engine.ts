import type { Migration } from './migration.js';

/**
 * The sync engine (issue 5): versioned mappings, flows with their committed cursor, runs, the
 * per-target-record payload hash that lets unchanged records be skipped, record lineage, failed
 * records with their payloads, and an outbox for the engine's audit rows.
 *
 * Runs, lineage and failures have no foreign key to flows on purpose: they are evidence and must
 * outlive a flow that is later deleted. Mapping versions are never updated except for their status
 * columns, and never deleted.
 */
export const migration003Engine: Migration = {
  version: 3,
  name: 'engine',
  sql: `
CREATE TABLE mappings (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  description TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
) STRICT;

CREATE TABLE mapping_versions (
  mapping_id TEXT NOT NULL REFERENCES mappings (id),
  version INTEGER NOT NULL CHECK (version >= 1),
  status TEXT NOT NULL CHECK (status IN ('draft', 'approved', 'active', 'retired')),
  spec TEXT NOT NULL,
  spec_hash TEXT NOT NULL,
  note TEXT NOT NULL,
  author TEXT NOT NULL,
  created_at TEXT NOT NULL,
  approved_by TEXT,
  approved_at TEXT,
  activated_by TEXT,
  activated_at TEXT,
  PRIMARY KEY (mapping_id, version),
  -- The four-eyes rule, enforced by the schema as well as by the handler.
  CHECK (approved_by IS NULL OR approved_by <> author)
) STRICT;

CREATE UNIQUE INDEX mapping_versions_one_active ON mapping_versions (mapping_id) WHERE status = 'active';

CREATE TRIGGER mapping_versions_spec_immutable BEFORE UPDATE OF spec, spec_hash, author, version, mapping_id
ON mapping_versions
BEGIN
  SELECT RAISE(ABORT, 'a saved mapping version never changes; save a new draft instead');
END;

CREATE TRIGGER mapping_versions_no_delete BEFORE DELETE ON mapping_versions
BEGIN
  SELECT RAISE(ABORT, 'mapping versions are kept forever');
END;

CREATE TABLE flows (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  definition TEXT NOT NULL,
  enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  cursor TEXT,
  cursor_at TEXT,
  last_run_id TEXT,
  last_success_at TEXT,
  -- Which engine (process id + instance) runs this flow now, and until when its claim holds.
  lease_owner TEXT,
  lease_until TEXT,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL
) STRICT;

CREATE TABLE runs (
  id TEXT PRIMARY KEY,
  flow_id TEXT NOT NULL,
  trigger TEXT NOT NULL CHECK (trigger IN ('manual', 'schedule', 'realtime', 'backfill', 'resume')),
  requested_by TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN
    ('queued', 'running', 'paused', 'succeeded', 'completed-with-failures', 'failed', 'cancelled', 'interrupted')),
  mapping_id TEXT NOT NULL,
  mapping_version INTEGER NOT NULL,
  read_count INTEGER NOT NULL DEFAULT 0,
  mapped_count INTEGER NOT NULL DEFAULT 0,
  unchanged_count INTEGER NOT NULL DEFAULT 0,
  written_count INTEGER NOT NULL DEFAULT 0,
  failed_count INTEGER NOT NULL DEFAULT 0,
  cursor_before TEXT,
  cursor_after TEXT,
  backfill_from TEXT,
  queued_at TEXT NOT NULL,
  started_at TEXT,
  finished_at TEXT,
  error TEXT
) STRICT;

CREATE INDEX runs_by_flow ON runs (flow_id, queued_at);
CREATE INDEX runs_by_status ON runs (status) WHERE status IN ('queued', 'running', 'paused');

-- The last successfully written payload per target record: a record whose mapped payload hashes the
-- same is not sent again (Odoo takes seconds to "update" a thousand unchanged records).
CREATE TABLE target_state (
  flow_id TEXT NOT NULL,
  target_key TEXT NOT NULL,
  payload_hash TEXT NOT NULL,
  target_id TEXT NOT NULL,
  lineage_seq INTEGER NOT NULL,
  PRIMARY KEY (flow_id, target_key)
) STRICT, WITHOUT ROWID;

CREATE TABLE lineage (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  run_id TEXT NOT NULL,
  flow_id TEXT NOT NULL,
  source_system TEXT NOT NULL,
  source_type TEXT NOT NULL,
  source_id TEXT NOT NULL,
  source_version TEXT NOT NULL,
  source_hash TEXT NOT NULL,
  mapping_id TEXT NOT NULL,
  mapping_version INTEGER NOT NULL,
  target_system TEXT NOT NULL,
  target_model TEXT NOT NULL,
  target_key TEXT NOT NULL,
  target_id TEXT,
  payload_hash TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('created', 'updated', 'failed')),
  supersedes INTEGER,
  error_code TEXT
) STRICT;

CREATE INDEX lineage_by_source ON lineage (source_id, seq);
CREATE INDEX lineage_by_target_key ON lineage (target_model, target_key, seq);
CREATE INDEX lineage_by_target_id ON lineage (target_model, target_id) WHERE target_id IS NOT NULL;
CREATE INDEX lineage_by_run ON lineage (run_id);

CREATE TRIGGER lineage_no_update BEFORE UPDATE ON lineage
BEGIN
  SELECT RAISE(ABORT, 'lineage is append-only');
END;

CREATE TABLE record_failures (
  id INTEGER PRIMARY KEY,
  run_id TEXT NOT NULL,
  flow_id TEXT NOT NULL,
  stage TEXT NOT NULL CHECK (stage IN ('extract', 'map', 'validate', 'load')),
  source_type TEXT NOT NULL,
  source_id TEXT NOT NULL,
  source_version TEXT NOT NULL,
  target_key TEXT,
  error_class TEXT NOT NULL,
  error_code TEXT NOT NULL,
  error_message TEXT NOT NULL,
  -- Nullable so retention can prune payloads later.
  source_payload TEXT,
  mapped_payload TEXT,
  at TEXT NOT NULL
) STRICT;

CREATE INDEX record_failures_by_run ON record_failures (run_id, id);
CREATE INDEX record_failures_by_source ON record_failures (flow_id, source_id);

-- Audit rows the engine owes: written in the same transaction as the batch they describe, moved to
-- the hash-chained audit log right after (which commits in its own transaction), and replayed at
-- start if the engine died in between.
CREATE TABLE engine_audit_outbox (
  id INTEGER PRIMARY KEY,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  outcome TEXT NOT NULL,
  detail TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
`,
};
