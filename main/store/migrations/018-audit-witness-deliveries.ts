import type { Migration } from './migration.js';

/**
 * The checkpoint witness's deliveries (issue 13).
 *
 * - `audit_witness_deliveries`: one row per signed checkpoint owed to the witness (an outbound,
 *   HMAC-signed webhook to a system the clinic chooses). A row is written before the first attempt,
 *   so a checkpoint not yet delivered when the console stops is retried when it starts again.
 *   `status` is pending (retried at `next_attempt_at`), delivered, or failed (the witness refused it
 *   for good, e.g. a wrong secret; set back to pending when an administrator saves the witness
 *   again). The URL and the signing secret are not here: the URL is a `settings` row, the secret is
 *   in the OS keychain.
 */
export const migration018AuditWitnessDeliveries: Migration = {
  version: 18,
  name: 'audit-witness-deliveries',
  sql: `
CREATE TABLE audit_witness_deliveries (
  checkpoint_id INTEGER PRIMARY KEY REFERENCES audit_checkpoints (id),
  status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  created_at TEXT NOT NULL,
  last_attempt_at TEXT,
  last_status_code INTEGER,
  last_error TEXT,
  next_attempt_at TEXT,
  delivered_at TEXT
) STRICT;

CREATE INDEX audit_witness_deliveries_due ON audit_witness_deliveries (status, next_attempt_at);
`,
};
