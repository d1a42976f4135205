import type Database from 'better-sqlite3';
import type { AuditVerification } from '../../../shared/domain/audit.js';
import { GENESIS_HASH, STORED_ROW_COLUMNS, auditRowHashOrNull, type StoredAuditRow } from './audit-hash.js';
import type { AuditHead } from './audit-chain-head.js';
import { readAnchor, type AnchorReading } from './audit-head-anchor.js';
import { ANCHOR_RESET_ACTION, STORE_ACTOR } from './anchor-at-start.js';

/** The first anchor reset the store recorded at a start (a missing or rewound anchor). */
interface RecordedReset {
  readonly seq: number;
  readonly at: string;
  readonly problem: string;
}

type Walk =
  | {
      readonly ok: true;
      readonly rows: number;
      readonly headSeq: number;
      readonly headHash: string;
      readonly reset: RecordedReset | null;
    }
  | { readonly ok: false; readonly brokenSeq: number; readonly reason: string };

/** How far a walk has got: rows checked of the rows the log held when it started. */
export interface VerifyProgress {
  readonly done: number;
  readonly total: number;
}

export interface VerifyOptions {
  /** Called every `progressEvery` rows (and once at the end of an intact walk). */
  readonly onProgress?: (progress: VerifyProgress) => void;
  readonly progressEvery?: number;
}

const DEFAULT_PROGRESS_EVERY = 50_000;

/**
 * A verification as the store reports it: an intact chain whose anchor is merely behind (a row of
 * the chain, with every later row chaining from it) is OK, with `anchorBehind` saying so.
 */
export type StoreAuditVerification =
  | (Extract<AuditVerification, { ok: true }> & { readonly anchorBehind?: AuditHead })
  | Extract<AuditVerification, { ok: false }>;

/**
 * Verifies the audit chain of `db` against the head anchor file at `anchorPath`, naming the first
 * broken row. The anchor is read BEFORE the rows: it is only ever written after a commit, so every
 * row it names is in the snapshot the walk sees; a concurrent append can at worst leave it behind,
 * which is not a failure.
 */
export function verifyAuditChain(
  db: Database.Database,
  anchorPath: string,
  options: VerifyOptions = {},
): StoreAuditVerification {
  return verifyAgainst(db, readAnchor(anchorPath), options);
}

export function verifyAgainst(
  db: Database.Database,
  anchor: AnchorReading,
  options: VerifyOptions = {},
): StoreAuditVerification {
  const walk = walkChain(db, anchor, options);
  if (!walk.ok) {
    return { ok: false, rows: countRows(db), brokenSeq: walk.brokenSeq, reason: walk.reason };
  }
  const broken = (brokenSeq: number, reason: string): StoreAuditVerification => ({
    ok: false,
    rows: walk.rows,
    brokenSeq,
    reason,
  });
  const intact = { ok: true as const, rows: walk.rows, headSeq: walk.headSeq, headHash: walk.headHash };
  const last = walk.headSeq;
  switch (anchor.state) {
    case 'missing':
      if (last === 0) return intact;
      return broken(
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
  if (walk.reset !== null) {
    const { seq, at, problem } = walk.reset;
    return broken(
      seq,
      `the head anchor was ${problem} when the console started on ${at} (recorded in this row): ` +
        `rows deleted from the end before row #${seq} cannot be ruled out; compare with a backup's anchor`,
    );
  }
  // The walk checked that row #anchored.seq has the anchored hash and that the rest chains from it.
  return anchored.seq < last ? { ...intact, anchorBehind: anchored } : intact;
}

/**
 * Iterates in seq order (never loads the whole log: constant memory at any length) and stops at the
 * first row that breaks. The total for progress is the highest seq (read from the primary key, no
 * scan); the walk runs in one read transaction, so rows appended meanwhile are not in it.
 */
function walkChain(db: Database.Database, anchor: AnchorReading, options: VerifyOptions): Walk {
  return db.transaction(() => walkSnapshot(db, anchor, options))();
}

function walkSnapshot(db: Database.Database, anchor: AnchorReading, options: VerifyOptions): Walk {
  const { onProgress } = options;
  const every = Math.max(1, options.progressEvery ?? DEFAULT_PROGRESS_EVERY);
  const total = onProgress === undefined ? 0 : highestSeq(db);
  let untilProgress = every;
  const rows = db
    .prepare(`SELECT ${STORED_ROW_COLUMNS} FROM audit_log ORDER BY seq`)
    .raw()
    .iterate() as IterableIterator<StoredAuditRow>;
  const anchored = anchor.state === 'present' ? anchor.head : null;
  let expected = 1;
  let prevHash = GENESIS_HASH;
  let reset: RecordedReset | null = null;
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
    if (auditRowHashOrNull(prevHash, { seq, at, actor, action, target, outcome, detail }) !== hash) {
      return { ok: false, brokenSeq: seq, reason: 'its content does not match its hash: the row was edited' };
    }
    if (anchored !== null && anchored.seq === seq && anchored.hash !== hash) {
      return {
        ok: false,
        brokenSeq: seq,
        reason: 'its hash differs from the head anchor: the row (and the chain after it) was rewritten',
      };
    }
    if (reset === null && action === ANCHOR_RESET_ACTION && actor === STORE_ACTOR) {
      reset = { seq, at, problem: resetProblem(detail) };
    }
    prevHash = hash;
    expected += 1;
    untilProgress -= 1;
    if (untilProgress === 0 && onProgress !== undefined) {
      untilProgress = every;
      onProgress({ done: expected - 1, total: Math.max(total, expected - 1) });
    }
  }
  onProgress?.({ done: expected - 1, total: expected - 1 });
  return { ok: true, rows: expected - 1, headSeq: expected - 1, headHash: prevHash, reset };
}

function highestSeq(db: Database.Database): number {
  return (db.prepare('SELECT coalesce(max(seq), 0) AS n FROM audit_log').get() as { n: number }).n;
}

function countRows(db: Database.Database): number {
  return (db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
}

function resetProblem(detail: string): string {
  try {
    const problem = (JSON.parse(detail) as { problem?: unknown }).problem;
    return typeof problem === 'string' ? problem : 'lost';
  } catch {
    return 'lost';
  }
}
