import type { Migration } from './migration.js';

/**
 * A circuit breaker per connection (issue 11, item 1). When a peer keeps failing transiently (Odoo
 * answering 503, a refused TCP connection) the engine stops sending it work instead of failing run
 * after run: the breaker opens, the runs that met it stop at their last committed batch and wait, and
 * the engine probes the peer with the connection's own test after a backoff that grows per failed
 * probe. The state lives here (not in memory) so a restart neither forgets an outage nor the flows
 * waiting for its end; every transition is kept for the console's history.
 */
export const migration010ConnectionBreakers: Migration = {
  version: 10,
  name: 'connection-breakers',
  sql: `
CREATE TABLE connection_breakers (
  connection_id TEXT PRIMARY KEY REFERENCES connections (id) ON DELETE CASCADE,
  state TEXT NOT NULL CHECK (state IN ('closed', 'open', 'half-open')),
  -- When the breaker entered its state (ISO 8601 UTC).
  since TEXT NOT NULL,
  -- Consecutive whole calls that failed transiently (reset by any call that got an answer).
  failures INTEGER NOT NULL DEFAULT 0,
  -- Failed probes since the breaker opened: the next probe waits longer for each.
  failed_probes INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  next_probe_at TEXT
) STRICT;

CREATE TABLE connection_breaker_transitions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  at TEXT NOT NULL,
  reason TEXT NOT NULL
) STRICT;
CREATE INDEX connection_breaker_transitions_by_connection
  ON connection_breaker_transitions (connection_id, id);

-- Flows whose run stopped because a connection's breaker opened: queued again when it closes.
CREATE TABLE connection_breaker_waits (
  flow_id TEXT NOT NULL REFERENCES flows (id) ON DELETE CASCADE,
  connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
  run_id TEXT NOT NULL,
  PRIMARY KEY (flow_id, connection_id)
) STRICT;
`,
};
