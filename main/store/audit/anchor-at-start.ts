import type Database from 'better-sqlite3';
import type { AuditLog } from '../types.js';
import type { AuditLogWarnings } from './sqlite-audit-log.js';
import { STORED_ROW_COLUMNS, auditRowHashOrNull, type StoredAuditRow } from './audit-hash.js';
import { readChainHead, type AuditHead } from './audit-chain-head.js';
import { readAnchor, writeAnchorAtomically } from './audit-head-anchor.js';

/** Audit actions the store itself writes at start; verify looks for the first one. */
export const ANCHOR_RESET_ACTION = 'store.audit-anchor.reset';
export const ANCHOR_REPAIRED_ACTION = 'store.audit-anchor.repaired';
export const STORE_ACTOR = 'store';

export type AnchorProblem = 'missing' | 'unreadable' | 'rewound' | 'rewritten';

/** How the anchor file relates to the log when a store is opened (see "The head anchor at start" in README). */
export type AnchorAtStart =
  | { readonly kind: 'in-step' }
  | { readonly kind: 'behind'; readonly anchor: AuditHead; readonly chainHead: AuditHead }
  | {
      readonly kind: 'lost';
      readonly problem: AnchorProblem;
      readonly anchor: AuditHead | null;
      readonly chainHead: AuditHead;
      readonly message: string;
    };

/**
 * Classifies the anchor against the log. "behind" is the one state a crash can leave (SIGKILL or
 * power cut between the audit commit and the anchor's rename): the anchored {seq, hash} is still a
 * row of the log, and every row after it chains from it. Anything else with rows in the log is
 * "lost": the anchor can no longer vouch that nothing was cut from the end.
 */
export function inspectAnchorAtStart(db: Database.Database, anchorPath: string): AnchorAtStart {
  const chainHead = readChainHead(db);
  const reading = readAnchor(anchorPath);
  const lost = (problem: AnchorProblem, anchor: AuditHead | null, message: string): AnchorAtStart => ({
    kind: 'lost',
    problem,
    anchor,
    chainHead,
    message,
  });
  if (reading.state === 'missing') {
    if (chainHead.seq === 0) return { kind: 'in-step' }; // a new store: nothing appended yet
    return lost(
      'missing',
      null,
      `the head anchor (audit-head.json) is missing while the log ends at row #${chainHead.seq}: ` +
        'rows deleted from the end before now cannot be noticed',
    );
  }
  if (reading.state === 'unreadable') {
    return lost('unreadable', null, `the head anchor (audit-head.json) is unreadable: ${reading.reason}`);
  }
  const anchor = reading.head;
  if (anchor.seq === chainHead.seq && anchor.hash === chainHead.hash) return { kind: 'in-step' };
  if (anchor.seq > chainHead.seq) {
    return lost(
      'rewound',
      anchor,
      `the head anchor records row #${anchor.seq} but the log ends at #${chainHead.seq}: rows were deleted from the end`,
    );
  }
  const brokenAt = firstRowNotChainedFrom(db, anchor);
  if (brokenAt !== null) {
    return lost(
      'rewritten',
      anchor,
      `the head anchor records row #${anchor.seq} (${anchor.hash.slice(0, 12)}), but the log does not ` +
        `continue from that row (row #${brokenAt}): the log was rewritten`,
    );
  }
  return { kind: 'behind', anchor, chainHead };
}

/** Null when row #anchor.seq has the anchored hash and each later row links to and hashes from it. */
function firstRowNotChainedFrom(db: Database.Database, anchor: AuditHead): number | null {
  if (anchor.seq > 0) {
    const row = db.prepare('SELECT hash FROM audit_log WHERE seq = ?').get(anchor.seq) as
      { hash: string } | undefined;
    if (row?.hash !== anchor.hash) return anchor.seq;
  }
  const rows = db
    .prepare(`SELECT ${STORED_ROW_COLUMNS} FROM audit_log WHERE seq > ? ORDER BY seq`)
    .raw()
    .iterate(anchor.seq) as IterableIterator<StoredAuditRow>;
  let expected = anchor.seq + 1;
  let prevHash = anchor.hash;
  for (const [seq, at, actor, action, target, outcome, detail, storedPrev, hash] of rows) {
    if (seq !== expected || storedPrev !== prevHash) return expected;
    if (auditRowHashOrNull(prevHash, { seq, at, actor, action, target, outcome, detail }) !== hash)
      return seq;
    prevHash = hash;
    expected += 1;
  }
  return null;
}

/**
 * Settles the anchor when a store opens for writing: a "behind" anchor is repaired by an audit row
 * that says so (its append moves the anchor to the head); a lost one is logged and recorded as an
 * error row that keeps the old anchor and chain head in its hashed detail, and only then is the
 * anchor written again, so verify reports the reset for as long as the log exists.
 */
export function settleAnchorAtStart(
  db: Database.Database,
  audit: AuditLog,
  anchorPath: string,
  log: AuditLogWarnings,
): AnchorAtStart {
  const state = inspectAnchorAtStart(db, anchorPath);
  if (state.kind === 'behind') {
    const row = audit.append({
      actor: STORE_ACTOR,
      action: ANCHOR_REPAIRED_ACTION,
      target: null,
      outcome: 'ok',
      detail: {
        anchor: state.anchor,
        chainHead: state.chainHead,
        rowsBehind: state.chainHead.seq - state.anchor.seq,
      },
    });
    log.warn(
      { anchorSeq: state.anchor.seq, chainHeadSeq: state.chainHead.seq, row: row.seq },
      `audit head anchor was behind the log (the console stopped between an audit commit and its anchor ` +
        `write): repaired and recorded as row #${row.seq}`,
    );
  } else if (state.kind === 'lost') {
    log.warn({ problem: state.problem }, `audit log: ${state.message}; recording this in the audit log`);
    const row = audit.append({
      actor: STORE_ACTOR,
      action: ANCHOR_RESET_ACTION,
      target: null,
      outcome: 'error',
      detail: {
        problem: state.problem,
        anchor: state.anchor,
        chainHead: state.chainHead,
        message: state.message,
      },
    });
    // advanceAnchor never moves an anchor backwards; a rewound one has to be replaced outright.
    try {
      writeAnchorAtomically(anchorPath, { seq: row.seq, hash: row.hash });
    } catch (error) {
      log.warn({ err: (error as Error).message }, 'audit head anchor could not be written after the reset');
    }
  }
  return state;
}
