import type { Migration } from './migration.js';

/**
 * One-click fixes of exceptions (issue 10, shared/domain/exception-fix.ts).
 *
 * - `exception_fixes`: a fix and where it stands. A `map-code` fix names the draft mapping version
 *   it wrote and the value-map entry; an `await-reference` fix carries its own backoff
 *   (`next_attempt_at`, `attempts`). `error_message` is the exact message of the exceptions a
 *   map-code fix covers: the signature groups codes of one shape ("SUP-1042", "SUP-2210"), but one
 *   mapped code unblocks only the records that lacked THAT code.
 * - `exception_fix_members`: the exceptions a fix covers (its progress is counted over them).
 * - `exception_fix_runs`: the replay runs a fix started.
 * - A trigger moves a map-code fix on when its draft is approved, whoever approves it and however
 *   (API, a tool on the store): `awaiting-approval` → `awaiting-activation`. Activation is noticed
 *   by the engine (it must start replay runs, which SQL cannot).
 * - `engine_audit_outbox.actor`: engine work started by a person's act (a fix replayed because
 *   somebody activated the mapping) is audited under that person, not under 'engine'.
 */
export const migration008ExceptionFixes: Migration = {
  version: 8,
  name: 'exception-fixes',
  sql: `
CREATE TABLE exception_fixes (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('map-code', 'await-reference')),
  state TEXT NOT NULL CHECK (state IN
    ('awaiting-approval', 'awaiting-activation', 'waiting', 'replaying', 'done', 'superseded')),
  signature TEXT NOT NULL,
  flow_id TEXT NOT NULL,
  error_message TEXT,
  mapping_id TEXT,
  mapping_version INTEGER,
  value_map TEXT,
  code TEXT,
  mapped_to TEXT,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  replay_started_by TEXT,
  next_attempt_at TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  CHECK (kind <> 'map-code' OR (mapping_id IS NOT NULL AND mapping_version IS NOT NULL
    AND value_map IS NOT NULL AND code IS NOT NULL AND mapped_to IS NOT NULL AND error_message IS NOT NULL))
) STRICT;
CREATE INDEX exception_fixes_by_state ON exception_fixes (state, kind);
CREATE INDEX exception_fixes_by_mapping ON exception_fixes (mapping_id, mapping_version) WHERE mapping_id IS NOT NULL;

CREATE TABLE exception_fix_members (
  fix_id TEXT NOT NULL REFERENCES exception_fixes (id) ON DELETE CASCADE,
  exception_id TEXT NOT NULL,
  PRIMARY KEY (fix_id, exception_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX exception_fix_members_by_exception ON exception_fix_members (exception_id, fix_id);

CREATE TABLE exception_fix_runs (
  fix_id TEXT NOT NULL REFERENCES exception_fixes (id) ON DELETE CASCADE,
  run_id TEXT NOT NULL,
  PRIMARY KEY (fix_id, run_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX exception_fix_runs_by_run ON exception_fix_runs (run_id);

CREATE TRIGGER exception_fixes_follow_approval AFTER UPDATE OF status ON mapping_versions
WHEN NEW.status = 'approved' AND OLD.status = 'draft'
BEGIN
  UPDATE exception_fixes SET state = 'awaiting-activation', updated_at = coalesce(NEW.approved_at, OLD.created_at)
  WHERE mapping_id = NEW.mapping_id AND mapping_version = NEW.version AND state = 'awaiting-approval';
END;

ALTER TABLE engine_audit_outbox ADD COLUMN actor TEXT;
`,
};
