import type { Migration } from './migration.js';

/**
 * Target calls in flight (issue 8). A target such as Odoo keeps processing a request after the
 * console that sent it is gone, so a crash can leave a write running in the target for a while. Each
 * engine records a call here before sending it and removes the row once the call has ended; a row
 * left by a dead engine tells the run that resumes the flow how long that request may still be
 * running, so it waits it out instead of colliding with it (row locks, serialization failures).
 *
 * `target_call_timing` keeps how long a flow's target calls usually take, so that estimate survives
 * the crash too.
 */
export const migration004TargetCalls: Migration = {
  version: 4,
  name: 'target-calls',
  sql: `
CREATE TABLE target_calls (
  id INTEGER PRIMARY KEY,
  flow_id TEXT NOT NULL,
  run_id TEXT NOT NULL,
  owner TEXT NOT NULL,
  records INTEGER NOT NULL,
  -- Epoch milliseconds.
  sent_at INTEGER NOT NULL,
  -- The call's own deadline in the console: it is abandoned at sent_at + timeout_ms at the latest.
  timeout_ms INTEGER NOT NULL,
  -- How long such a call takes in the target (from the flow's recent calls), when it was sent.
  expected_ms INTEGER NOT NULL
) STRICT;

CREATE INDEX target_calls_by_flow ON target_calls (flow_id);

-- Moving averages of a flow's answered calls: duration and number of records per call.
CREATE TABLE target_call_timing (
  flow_id TEXT PRIMARY KEY,
  typical_ms INTEGER NOT NULL,
  typical_records INTEGER NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
`,
};
