import type { Migration } from './migration.js';

/**
 * Partner intake (issue 4): inbound webhook events, outbound webhook deliveries with their attempt
 * history, and the CSV files already processed.
 *
 * No foreign key to `connections`: these rows are evidence of what a partner sent or was sent, and
 * they must outlive a connection that is later deleted (the audit trail points at them).
 */
export const migration002PartnerIntake: Migration = {
  version: 2,
  name: 'partner-intake',
  sql: `
CREATE TABLE inbound_events (
  seq INTEGER PRIMARY KEY,
  connection_id TEXT NOT NULL,
  source_name TEXT NOT NULL,
  channel TEXT NOT NULL CHECK (channel IN ('webhook', 'fhir-rest-hook')),
  event_id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  signed_at INTEGER,
  received_at TEXT NOT NULL,
  content_type TEXT NOT NULL,
  body_sha256 TEXT NOT NULL,
  -- Nullable so retention can prune payloads while the hash stays.
  body TEXT,
  UNIQUE (connection_id, event_id)
) STRICT;

CREATE TABLE webhook_deliveries (
  id INTEGER PRIMARY KEY,
  connection_id TEXT NOT NULL,
  delivery_key TEXT NOT NULL,
  event_id TEXT NOT NULL UNIQUE,
  event_type TEXT NOT NULL,
  body TEXT NOT NULL,
  body_sha256 TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at TEXT,
  last_status_code INTEGER,
  last_error TEXT,
  created_at TEXT NOT NULL,
  delivered_at TEXT,
  -- The same record with the same content is delivered once; changed content is a new delivery.
  UNIQUE (connection_id, delivery_key, body_sha256)
) STRICT;

CREATE INDEX webhook_deliveries_due ON webhook_deliveries (connection_id, status, next_attempt_at);

CREATE TABLE webhook_delivery_attempts (
  delivery_id INTEGER NOT NULL REFERENCES webhook_deliveries (id),
  attempt INTEGER NOT NULL CHECK (attempt >= 1),
  at TEXT NOT NULL,
  status_code INTEGER,
  error TEXT,
  duration_ms INTEGER NOT NULL,
  PRIMARY KEY (delivery_id, attempt)
) STRICT;

CREATE TABLE csv_files (
  id INTEGER PRIMARY KEY,
  connection_id TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  file_name TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('archived', 'rejected')),
  rows INTEGER NOT NULL,
  reason TEXT,
  moved_to TEXT NOT NULL,
  processed_at TEXT NOT NULL
) STRICT;

-- A file's bytes are processed once; a rejected file may come back unchanged after a
-- configuration fix, so only archived files block a second run.
CREATE UNIQUE INDEX csv_files_processed_once ON csv_files (connection_id, sha256) WHERE status = 'archived';
`,
};
