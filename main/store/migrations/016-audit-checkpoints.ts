import type { Migration } from './migration.js';

/**
 * Signed audit checkpoints (issue 13, item 1).
 *
 * - `audit_checkpoints`: one row per checkpoint the console signed: the log head (seq, hash), the
 *   RFC 6962 Merkle root over row hashes #1..#seq, when, the Ed25519 signature (base64) and the id of
 *   the key (sha256 of its public key). `frontier` holds the roots of the perfect subtrees at `seq`,
 *   so the next checkpoint hashes only the rows appended since. The private key is never here: it
 *   lives in the OS keychain. The rows are evidence to hand out, not a trust anchor: verification
 *   checks their signatures and recomputes everything from the log.
 */
export const migration016AuditCheckpoints: Migration = {
  version: 16,
  name: 'audit-checkpoints',
  sql: `
CREATE TABLE audit_checkpoints (
  id INTEGER PRIMARY KEY,
  store_id TEXT NOT NULL,
  seq INTEGER NOT NULL CHECK (seq >= 0),
  head_hash TEXT NOT NULL,
  merkle_root TEXT NOT NULL,
  at TEXT NOT NULL,
  signature TEXT NOT NULL,
  key_id TEXT NOT NULL,
  reason TEXT NOT NULL CHECK (reason IN ('scheduled', 'on-demand', 'cli')),
  frontier TEXT NOT NULL
) STRICT;

CREATE INDEX audit_checkpoints_by_seq ON audit_checkpoints (seq, id);
`,
};
