import type { Migration } from './migration.js';

/**
 * The durable outbox and degraded mode (issue 11, items 2 and 4).
 *
 * - `connection_degraded`: an administrator switched a connection to degraded mode, with a reason.
 *   As a target, its flows' writes go to the outbox instead of the peer; as a source, its flows wait.
 * - `outbox_writes`: a mapped, validated write that was not sent because its target's breaker was
 *   open, the target was degraded, or earlier writes of the flow were still waiting (key order). Each
 *   row keeps everything needed to send it later exactly as it was mapped (payload and its hash, the
 *   mapping version) and to open an exception if the target refuses it (the source record). Rows are
 *   settled (sent, unchanged, failed) in the same transaction as the lineage of the write, so a crash
 *   mid-drain resends at most the writes in flight, which the target's idempotent upsert absorbs.
 *   Settled rows stay, for the Outages page's history, until retention prunes them.
 * - `runs.deferred_count` / `drained_count`: what a run put into the outbox and what it sent out of it.
 */
export const migration011Outbox: Migration = {
  version: 11,
  name: 'outbox',
  sql: `
CREATE TABLE connection_degraded (
  connection_id TEXT PRIMARY KEY REFERENCES connections (id) ON DELETE CASCADE,
  reason TEXT NOT NULL,
  since TEXT NOT NULL,
  switched_by TEXT NOT NULL
) STRICT;

CREATE TABLE outbox_writes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  flow_id TEXT NOT NULL REFERENCES flows (id) ON DELETE CASCADE,
  -- The flow's target connection when the write was queued.
  connection_id TEXT NOT NULL,
  run_id TEXT NOT NULL,
  order_key TEXT NOT NULL,
  target_key TEXT NOT NULL,
  source_type TEXT NOT NULL,
  source_id TEXT NOT NULL,
  source_version TEXT NOT NULL,
  source_updated_at TEXT,
  source_json TEXT NOT NULL,
  source_hash TEXT NOT NULL,
  payload_json TEXT NOT NULL,
  payload_hash TEXT NOT NULL,
  mapping_id TEXT NOT NULL,
  mapping_version INTEGER NOT NULL,
  reason TEXT NOT NULL CHECK (reason IN ('breaker', 'degraded', 'behind')),
  queued_at TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'sent', 'unchanged', 'failed')),
  settled_at TEXT,
  settled_run_id TEXT,
  target_id TEXT
) STRICT;
CREATE INDEX outbox_waiting_by_flow ON outbox_writes (flow_id, seq) WHERE state = 'waiting';
CREATE INDEX outbox_by_flow ON outbox_writes (flow_id, seq);

ALTER TABLE runs ADD COLUMN deferred_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN drained_count INTEGER NOT NULL DEFAULT 0;
`,
};
