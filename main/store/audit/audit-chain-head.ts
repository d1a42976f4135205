import type Database from 'better-sqlite3';
import { GENESIS_HASH } from './audit-hash.js';

/** The newest row of the chain: where the next append links to, and what the anchor file records. */
export interface AuditHead {
  readonly seq: number;
  readonly hash: string;
}

export const EMPTY_HEAD: AuditHead = { seq: 0, hash: GENESIS_HASH };

export function readChainHead(db: Database.Database): AuditHead {
  const row = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as
    AuditHead | undefined;
  return row ?? EMPTY_HEAD;
}
