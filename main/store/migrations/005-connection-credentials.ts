import type { Migration } from './migration.js';

/**
 * What the console knows about a connection's stored credentials beyond "set / last changed" (issue
 * 17). Odoo 19 makes API keys expire (a non-administrator's within a day by default), so when the
 * key runs out is operational data the console keeps showing after Test connection found it; and a
 * peer that refuses the stored credentials during a run holds the connection's scheduled flows until
 * someone replaces the secret or a test passes, instead of failing every schedule tick.
 */
export const migration005ConnectionCredentials: Migration = {
  version: 5,
  name: 'connection-credentials',
  sql: `
CREATE TABLE connection_credentials (
  connection_id TEXT PRIMARY KEY REFERENCES connections (id) ON DELETE CASCADE,
  -- From the last Test connection: when the stored key expires (ISO 8601 UTC), 'never', or NULL
  -- when unknown (never tested, or the secret changed since).
  key_expires_at TEXT,
  key_name TEXT,
  key_checked_at TEXT,
  -- Set when the peer refused the stored credentials during a run; cleared by a new secret or a
  -- Test connection whose login passes.
  refused_at TEXT,
  refused_code TEXT,
  refused_message TEXT
) STRICT;
`,
};
