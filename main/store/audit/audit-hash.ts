import { hash as digestOnce } from 'node:crypto';
import type { AuditEntry } from '../../../shared/domain/audit.js';

/** The prev_hash of row #1: the chain has to start from a value nobody chose. */
export const GENESIS_HASH = '0'.repeat(64);

/** The columns a row's hash covers: everything but the hashes themselves. */
export type HashedAuditContent = Pick<
  AuditEntry,
  'seq' | 'at' | 'actor' | 'action' | 'target' | 'outcome' | 'detail'
>;

/**
 * The canonical JSON of a row's content. Its keys are fixed, so it is written out in sorted key order
 * directly instead of through canonicalJson (this runs for every row appended and verified);
 * `detail` is the stored text (itself canonical JSON), so verify never re-parses it. A value of the
 * wrong type (a blob where text belongs) is rejected, never coerced.
 */
export function auditContentJson(content: HashedAuditContent): string {
  const { seq, at, actor, action, target, outcome, detail } = content;
  if (!Number.isSafeInteger(seq)) throw new TypeError('seq is not an integer');
  for (const text of [at, actor, action, outcome, detail]) {
    if (typeof text !== 'string') throw new TypeError('audit content column is not text');
  }
  if (target !== null && typeof target !== 'string') throw new TypeError('target is not text or null');
  return (
    `{"action":${JSON.stringify(action)},"actor":${JSON.stringify(actor)},"at":${JSON.stringify(at)}` +
    `,"detail":${JSON.stringify(detail)},"outcome":${JSON.stringify(outcome)},"seq":${seq}` +
    `,"target":${target === null ? 'null' : JSON.stringify(target)}}`
  );
}

/**
 * sha256 hex of prev_hash followed by the canonical JSON of the row's content (UTF-8). One-shot
 * crypto.hash over the joined string: the same bytes as two streaming updates, without a Hash
 * object per row (this runs for every row appended and verified).
 */
export function auditRowHash(prevHash: string, content: HashedAuditContent): string {
  return digestOnce('sha256', prevHash + auditContentJson(content), 'hex');
}

/** A stored row as the chain walks read it: raw tuples, which better-sqlite3 yields much faster than objects. */
export type StoredAuditRow = [
  seq: number,
  at: string,
  actor: string,
  action: string,
  target: string | null,
  outcome: 'ok' | 'denied' | 'error',
  detail: string,
  prevHash: string,
  hash: string,
];

/** The columns of a StoredAuditRow, in its order. */
export const STORED_ROW_COLUMNS = 'seq, at, actor, action, target, outcome, detail, prev_hash, hash';

/** A row whose columns are not even hashable (a blob where text belongs) is as broken as an edit. */
export function auditRowHashOrNull(prevHash: string, row: HashedAuditContent): string | null {
  try {
    return auditRowHash(prevHash, row);
  } catch {
    return null;
  }
}
