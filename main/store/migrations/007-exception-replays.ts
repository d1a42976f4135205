import type { Migration } from './migration.js';

/**
 * Replays of exceptions (issue 10): a replay run sends chosen exceptions' stored source payloads
 * again through the flow's ordinary write path instead of reading the source.
 *
 * - `runs.trigger` gains 'replay'. SQLite cannot change a CHECK constraint, so the runs table is
 *   rebuilt with the same columns and indexes (nothing references it by foreign key).
 * - `replay_items`: which exceptions a replay run sends, and for an edited replay which edit. It is
 *   written in the transaction that creates the run, so a queued replay run survives a restart.
 * - `exception_edits`: an edited source payload is a new child row of its exception; the original
 *   payload on the exception stays immutable (006's trigger) and so does every edit.
 * - `exceptions.next_attempt_at` / `auto_retries`: the automatic retry of transient exceptions
 *   (when the next replay is due, how many were scheduled), kept in the store so a restart goes on.
 */
export const migration007ExceptionReplays: Migration = {
  version: 7,
  name: 'exception-replays',
  sql: `
CREATE TABLE runs_new (
  id TEXT PRIMARY KEY,
  flow_id TEXT NOT NULL,
  trigger TEXT NOT NULL CHECK (trigger IN ('manual', 'schedule', 'realtime', 'backfill', 'resume', 'replay')),
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
INSERT INTO runs_new SELECT id, flow_id, trigger, requested_by, status, mapping_id, mapping_version, read_count,
  mapped_count, unchanged_count, written_count, failed_count, cursor_before, cursor_after, backfill_from,
  queued_at, started_at, finished_at, error FROM runs;
DROP TABLE runs;
ALTER TABLE runs_new RENAME TO runs;
CREATE INDEX runs_by_flow ON runs (flow_id, queued_at);
CREATE INDEX runs_by_status ON runs (status) WHERE status IN ('queued', 'running', 'paused');

CREATE TABLE exception_edits (
  id INTEGER PRIMARY KEY,
  exception_id TEXT NOT NULL REFERENCES exceptions (id) ON DELETE CASCADE,
  source_payload TEXT NOT NULL,
  edited_by TEXT NOT NULL,
  edited_at TEXT NOT NULL
) STRICT;
CREATE INDEX exception_edits_by_exception ON exception_edits (exception_id, id);

CREATE TRIGGER exception_edits_immutable BEFORE UPDATE ON exception_edits
BEGIN
  SELECT RAISE(ABORT, 'an edited payload never changes: edit again to make a new one');
END;

CREATE TABLE replay_items (
  run_id TEXT NOT NULL,
  exception_id TEXT NOT NULL,
  edit_id INTEGER REFERENCES exception_edits (id),
  PRIMARY KEY (run_id, exception_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX replay_items_by_exception ON replay_items (exception_id);

ALTER TABLE exceptions ADD COLUMN next_attempt_at TEXT;
ALTER TABLE exceptions ADD COLUMN auto_retries INTEGER NOT NULL DEFAULT 0;
CREATE INDEX exceptions_due ON exceptions (next_attempt_at) WHERE state = 'retrying';
`,
};
