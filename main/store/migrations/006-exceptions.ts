import type { Migration } from './migration.js';

/**
 * Exceptions (issue 10): every source record that could not go through a flow becomes ONE exception
 * per (flow, source record), with the attempts at it across runs and people's notes. The engine
 * writes them in the same transaction as the batch's lineage and cursor (batch-commit.ts); a later
 * success of the record resolves its exception there too. `record_failures` stay as each run's own
 * history.
 *
 * The original source payload is immutable (a trigger refuses changing it); open, retrying and dead
 * exceptions cannot be deleted by any retention (a trigger refuses it). Like runs and lineage there
 * is no foreign key to flows: an exception outlives a deleted flow as evidence.
 *
 * The backfill turns the newest record_failures row per (flow, source id) into an exception with one
 * attempt per earlier failure. Its class repeats main/engine/store/exception-class.ts in SQL. Its
 * signature is left NULL: the signature is a pure TypeScript function (shared/domain/
 * exception-signature.ts) SQL cannot express, so ExceptionsRepo.fillMissingSignatures() computes the
 * missing ones when the console starts.
 */
export const migration006Exceptions: Migration = {
  version: 6,
  name: 'exceptions',
  sql: `
CREATE TABLE exceptions (
  id TEXT PRIMARY KEY,
  flow_id TEXT NOT NULL,
  source_type TEXT NOT NULL,
  source_id TEXT NOT NULL,
  -- The record as it first failed: never changed (see the trigger below).
  source_version TEXT NOT NULL,
  source_hash TEXT,
  source_payload TEXT,
  -- The newest failing version, when it differs from the original (NULL payload: same as original).
  latest_source_version TEXT NOT NULL,
  latest_source_payload TEXT,
  mapped_payload TEXT,
  target_key TEXT,
  stage TEXT NOT NULL CHECK (stage IN ('extract', 'map', 'validate', 'load', 'reconcile')),
  class TEXT NOT NULL CHECK (class IN ('transient', 'data', 'reference', 'configuration', 'conflict', 'authorization')),
  error_code TEXT NOT NULL,
  error_field TEXT NOT NULL DEFAULT '',
  signature TEXT,
  error_message TEXT NOT NULL CHECK (length(error_message) <= 4000),
  state TEXT NOT NULL CHECK (state IN ('open', 'retrying', 'resolved', 'ignored', 'dead')),
  assignee TEXT,
  attempts INTEGER NOT NULL DEFAULT 1 CHECK (attempts >= 1),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  last_failed_at TEXT NOT NULL,
  last_run_id TEXT NOT NULL,
  resolved_by_run TEXT,
  resolved_by TEXT,
  resolved_at TEXT,
  resolution TEXT,
  UNIQUE (flow_id, source_id)
) STRICT;

-- The inbox lists newest first within a state; grouping by signature and the per-flow counts read
-- these covering indexes alone (no table row), which keeps them fast over 100,000 exceptions.
CREATE INDEX exceptions_by_state ON exceptions (state, created_at, id);
CREATE INDEX exceptions_by_state_flow ON exceptions (state, flow_id);
CREATE INDEX exceptions_by_state_signature ON exceptions (state, signature, flow_id, created_at);
CREATE INDEX exceptions_by_signature ON exceptions (signature);
CREATE INDEX exceptions_by_assignee ON exceptions (assignee, state) WHERE assignee IS NOT NULL;

CREATE TRIGGER exceptions_original_immutable
BEFORE UPDATE OF id, flow_id, source_type, source_id, source_version, source_hash, source_payload, created_at
ON exceptions
BEGIN
  SELECT RAISE(ABORT, 'an exception''s original record never changes');
END;

CREATE TRIGGER exceptions_unsettled_kept BEFORE DELETE ON exceptions
WHEN OLD.state IN ('open', 'retrying', 'dead')
BEGIN
  SELECT RAISE(ABORT, 'open, retrying and dead exceptions are never pruned');
END;

CREATE TABLE exception_attempts (
  id INTEGER PRIMARY KEY,
  exception_id TEXT NOT NULL REFERENCES exceptions (id) ON DELETE CASCADE,
  run_id TEXT,
  at TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('failed', 'succeeded')),
  stage TEXT,
  error_code TEXT,
  error_message TEXT,
  source_version TEXT NOT NULL
) STRICT;

CREATE INDEX exception_attempts_by_exception ON exception_attempts (exception_id, id);

CREATE TABLE exception_notes (
  id INTEGER PRIMARY KEY,
  exception_id TEXT NOT NULL REFERENCES exceptions (id) ON DELETE CASCADE,
  author TEXT NOT NULL,
  at TEXT NOT NULL,
  text TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 4000)
) STRICT;

CREATE INDEX exception_notes_by_exception ON exception_notes (exception_id, id);

INSERT INTO exceptions (id, flow_id, source_type, source_id, source_version, source_hash, source_payload,
  latest_source_version, latest_source_payload, mapped_payload, target_key, stage, class, error_code,
  error_message, state, attempts, created_at, updated_at, last_failed_at, last_run_id)
SELECT 'exc_' || lower(hex(randomblob(10))), f.flow_id, f.source_type, f.source_id, f.source_version, NULL,
  f.source_payload, f.source_version, NULL, f.mapped_payload, f.target_key, f.stage,
  CASE
    WHEN f.error_class = 'transient' THEN 'transient'
    WHEN f.error_class = 'authentication' THEN 'authorization'
    WHEN f.error_class = 'configuration' THEN 'configuration'
    WHEN f.error_class = 'conflict' THEN 'conflict'
    WHEN f.error_code IN ('mapping.unmapped-code', 'odoo.unknown-reference', 'odoo.MissingError') THEN 'reference'
    WHEN f.error_code IN ('mapping.unknown-value-map', 'odoo.unknown-field', 'odoo.unknown-model',
      'odoo.unknown-method', 'odoo.private-method') THEN 'configuration'
    ELSE 'data'
  END,
  f.error_code, substr(f.error_message, 1, 4000), 'open',
  (SELECT count(*) FROM record_failures g WHERE g.flow_id = f.flow_id AND g.source_id = f.source_id),
  (SELECT min(g.at) FROM record_failures g WHERE g.flow_id = f.flow_id AND g.source_id = f.source_id),
  f.at, f.at, f.run_id
FROM record_failures f
WHERE f.id = (SELECT max(g.id) FROM record_failures g WHERE g.flow_id = f.flow_id AND g.source_id = f.source_id);

INSERT INTO exception_attempts (exception_id, run_id, at, outcome, stage, error_code, error_message, source_version)
SELECT e.id, f.run_id, f.at, 'failed', f.stage, f.error_code, substr(f.error_message, 1, 4000), f.source_version
FROM record_failures f JOIN exceptions e ON e.flow_id = f.flow_id AND e.source_id = f.source_id
ORDER BY f.id;

-- A backfilled record that some run wrote after its newest failure went through: resolved by that run.
UPDATE exceptions SET
  state = 'resolved',
  resolved_by_run = (SELECT l.run_id FROM lineage l WHERE l.flow_id = exceptions.flow_id
    AND l.source_id = exceptions.source_id AND l.outcome IN ('created', 'updated')
    AND l.at > exceptions.last_failed_at ORDER BY l.seq DESC LIMIT 1),
  resolved_at = (SELECT max(l.at) FROM lineage l WHERE l.flow_id = exceptions.flow_id
    AND l.source_id = exceptions.source_id AND l.outcome IN ('created', 'updated')),
  resolution = 'The record went through in a later run.'
WHERE EXISTS (SELECT 1 FROM lineage l WHERE l.flow_id = exceptions.flow_id AND l.source_id = exceptions.source_id
  AND l.outcome IN ('created', 'updated') AND l.at > exceptions.last_failed_at);

UPDATE exceptions SET resolution = 'Resolved by run ' || resolved_by_run || ': the record went through.'
WHERE state = 'resolved';
`,
};
