import type { Migration } from './migration.js';

/**
 * Anomaly holds (issue 12, item 2).
 *
 * - `anomaly_batches`: one row per judged batch (a run's writes of a flow that watches anomalies):
 *   its volume (records), its amount (sum of the flow's amount field, null without one), the
 *   weekday (0 = Sunday, UTC) and whether it ran on the last day of its month, the verdict and, when
 *   held, the hold. The flow's own history: what the next batches are compared with.
 * - `anomaly_holds`: a batch judged anomalous: its writes stay in the outbox (`outbox_writes.hold_id`)
 *   until a human releases (they are sent) or rejects (they become exceptions) it with a reason.
 *   `context_json` keeps the run's lineage context, so a rejection records its failures like a run.
 * - `outbox_writes.hold_id`: the hold a waiting write belongs to. The drain stops at the first write
 *   of a hold still 'held' (later writes of the flow wait behind it, in key order).
 *
 * No foreign key to flows, like exceptions: a hold and its decision are evidence that outlives a flow.
 */
export const migration013AnomalyHolds: Migration = {
  version: 13,
  name: 'anomaly-holds',
  sql: `
CREATE TABLE anomaly_holds (
  id TEXT PRIMARY KEY,
  flow_id TEXT NOT NULL,
  run_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  explanation TEXT NOT NULL,
  size INTEGER NOT NULL,
  -- The first outbox write of the hold: while held, the flow's drain stops before it.
  first_seq INTEGER NOT NULL,
  context_json TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'held' CHECK (state IN ('held', 'released', 'rejected')),
  decided_by TEXT,
  decided_at TEXT,
  reason TEXT CHECK (reason IS NULL OR length(reason) BETWEEN 1 AND 500)
) STRICT;
CREATE INDEX anomaly_holds_by_state ON anomaly_holds (state, created_at);
CREATE INDEX anomaly_holds_by_flow ON anomaly_holds (flow_id, created_at);
CREATE INDEX anomaly_holds_barrier ON anomaly_holds (flow_id, first_seq) WHERE state = 'held';

CREATE TABLE anomaly_batches (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  flow_id TEXT NOT NULL,
  run_id TEXT NOT NULL,
  at TEXT NOT NULL,
  weekday INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
  month_end INTEGER NOT NULL CHECK (month_end IN (0, 1)),
  volume INTEGER NOT NULL,
  amount REAL,
  verdict TEXT NOT NULL CHECK (verdict IN ('normal', 'held', 'unjudged')),
  hold_id TEXT
) STRICT;
CREATE INDEX anomaly_batches_by_flow ON anomaly_batches (flow_id, id);

ALTER TABLE outbox_writes ADD COLUMN hold_id TEXT;
CREATE INDEX outbox_writes_by_hold ON outbox_writes (hold_id) WHERE hold_id IS NOT NULL;
`,
};
