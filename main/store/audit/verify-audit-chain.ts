import type Database from 'better-sqlite3';
import type { AuditVerification } from '../../../shared/domain/audit.js';
import { GENESIS_HASH, auditRowHash, type HashedAuditContent } from './audit-hash.js';
import { readAnchor, type AnchorReading } from './audit-head-anchor.js';

/** One row as the walk reads it: raw tuples, which better-sqlite3 yields much faster than objects. */
type StoredAuditRow = [
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

type Walk =
  | { readonly ok: true; readonly rows: number; readonly headSeq: number; readonly headHash: string }
  | { readonly ok: false; readonly brokenSeq: number; readonly reason: string };

/**
 * Verifies the audit chain of `db` against the head anchor file at `anchorPath`, naming the first
 * broken row. The anchor is read BEFORE the rows: it is only ever written after a commit, so every
 * row it names is in the snapshot the walk sees, and a concurrent append can at worst make the
 * anchor look "behind" — in which case the check runs once more with the fresh anchor.
 */
export function verifyAuditChain(db: Database.Database, anchorPath: string): AuditVerification {
  let anchor = readAnchor(anchorPath);
  let result = verifyAgainst(db, anchor);
  if (!result.ok && result.reason.startsWith('anchor behind')) {
    const again = readAnchor(anchorPath);
    if (again.state === 'present' && anchor.state === 'present' && again.head.seq > anchor.head.seq) {
      anchor = again;
      result = verifyAgainst(db, anchor);
    }
  }
  return result;
}

export function verifyAgainst(db: Database.Database, anchor: AnchorReading): AuditVerification {
  const walk = walkChain(db, anchor);
  if (!walk.ok) {
    return { ok: false, rows: countRows(db), brokenSeq: walk.brokenSeq, reason: walk.reason };
  }
  const broken = (brokenSeq: number, reason: string): AuditVerification => ({
    ok: false,
    rows: walk.rows,
    brokenSeq,
    reason,
  });
  const last = walk.headSeq;
  switch (anchor.state) {
    case 'missing':
      return last === 0
        ? walk
        : broken(
            last + 1,
            `the head anchor (audit-head.json) is missing, so rows deleted after #${last} could not be noticed`,
          );
    case 'unreadable':
      return broken(last + 1, `the head anchor (audit-head.json) is unreadable: ${anchor.reason}`);
    case 'present':
      break;
  }
  const anchored = anchor.head;
  if (anchored.seq === 0 && anchored.hash !== GENESIS_HASH) {
    return broken(1, 'the head anchor names row #0 with a hash that is not the genesis hash');
  }
  if (anchored.seq > last) {
    return broken(
      last + 1,
      `row #${last + 1} is missing: the head anchor records row #${anchored.seq} but the log ends at ` +
        `#${last} (rows were deleted from the end)`,
    );
  }
  if (anchored.seq < last) {
    return broken(
      anchored.seq + 1,
      `anchor behind, not tampering: the chain is intact up to #${last} but the head anchor records ` +
        `#${anchored.seq} (an anchor write failed or the app stopped between commit and anchor write); ` +
        'the next append moves the anchor to the head',
    );
  }
  return walk;
}

/** Iterates in seq order (never loads the whole log) and stops at the first row that breaks. */
function walkChain(db: Database.Database, anchor: AnchorReading): Walk {
  const rows = db
    .prepare(
      'SELECT seq, at, actor, action, target, outcome, detail, prev_hash, hash FROM audit_log ORDER BY seq',
    )
    .raw()
    .iterate() as IterableIterator<StoredAuditRow>;
  const anchored = anchor.state === 'present' ? anchor.head : null;
  let expected = 1;
  let prevHash = GENESIS_HASH;
  for (const [seq, at, actor, action, target, outcome, detail, storedPrev, hash] of rows) {
    if (seq !== expected) {
      const where = expected === 1 ? `the log starts at #${seq}` : `#${expected - 1} is followed by #${seq}`;
      return { ok: false, brokenSeq: expected, reason: `row #${expected} is missing (${where})` };
    }
    if (storedPrev !== prevHash) {
      const previous = expected === 1 ? 'the genesis hash' : `the hash of row #${expected - 1}`;
      return {
        ok: false,
        brokenSeq: seq,
        reason: `its prev_hash does not match ${previous}: a row was removed, replaced or moved here`,
      };
    }
    if (rowHashOf(prevHash, { seq, at, actor, action, target, outcome, detail }) !== hash) {
      return { ok: false, brokenSeq: seq, reason: 'its content does not match its hash: the row was edited' };
    }
    if (anchored !== null && anchored.seq === seq && anchored.hash !== hash) {
      return {
        ok: false,
        brokenSeq: seq,
        reason: 'its hash differs from the head anchor: the row (and the chain after it) was rewritten',
      };
    }
    prevHash = hash;
    expected += 1;
  }
  return { ok: true, rows: expected - 1, headSeq: expected - 1, headHash: prevHash };
}

/** A row whose columns are not even hashable (a blob where text belongs) is as broken as an edit. */
function rowHashOf(prevHash: string, row: HashedAuditContent): string | null {
  try {
    return auditRowHash(prevHash, row);
  } catch {
    return null;
  }
}

function countRows(db: Database.Database): number {
  return (db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
}
