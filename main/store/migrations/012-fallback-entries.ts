import type { Migration } from './migration.js';

/**
 * Manual fallback entries (issue 11, item 3): transactions an operator entered by hand while a source
 * system was down, each queued in the outbox (migration 011) under a provisional key, with
 * `outbox_writes.run_id` = the entry's id. Whether it was sent or failed is the outbox row's state and
 * is not repeated here; this table holds who entered what and why, and what became of the match:
 *
 * - `state`: 'open' (waiting for the source's own event), 'matched' (the source delivered the same
 *   event, which was then not posted again), 'differs' (matched, but some values differ: an exception
 *   was opened for review, `exception_id`).
 * - `match_json`: the normalised match-key values at entry time (null without match keys).
 * - `matched_source_*`: the source record that matched, and the hash of the version last compared, so
 *   the same record seen again changes nothing and a later version is compared again.
 *
 * Like exceptions there is no foreign key to flows: an entry is evidence of what was posted by hand
 * and outlives a deleted flow. The index on `outbox_writes.run_id` lets a list of entries read their
 * outbox rows' state without scanning the outbox.
 */
export const migration012FallbackEntries: Migration = {
  version: 12,
  name: 'fallback-entries',
  sql: `
CREATE TABLE fallback_entries (
  id TEXT PRIMARY KEY,
  flow_id TEXT NOT NULL,
  provisional_key TEXT NOT NULL,
  values_json TEXT NOT NULL,
  match_json TEXT,
  reason TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  entered_by TEXT NOT NULL,
  entered_at TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'matched', 'differs')),
  matched_source_type TEXT,
  matched_source_id TEXT,
  matched_source_hash TEXT,
  matched_at TEXT,
  differences_json TEXT NOT NULL DEFAULT '[]',
  exception_id TEXT
) STRICT;
CREATE INDEX fallback_entries_by_flow ON fallback_entries (flow_id, entered_at);
CREATE INDEX fallback_entries_open ON fallback_entries (flow_id, entered_at) WHERE state = 'open';
CREATE UNIQUE INDEX fallback_entries_by_source
  ON fallback_entries (flow_id, matched_source_type, matched_source_id) WHERE matched_source_id IS NOT NULL;
CREATE INDEX outbox_writes_by_run ON outbox_writes (run_id);
`,
};
