import type Database from 'better-sqlite3';
import { GENESIS_HASH, STORED_ROW_COLUMNS, auditRowHashOrNull, type StoredAuditRow } from '../audit-hash.js';

/** Where a walk of the rows stopped because a row breaks the chain. */
export interface ChainBreak {
  readonly seq: number;
  readonly reason: string;
}

/**
 * Reads rows (from, to] in seq order in chunks, checking each row against the chain: no gap, its
 * prev_hash is the previous row's hash and its content hashes to its hash. `onRow` gets each good
 * row's hash. `pause` runs between chunks: the running console yields its thread there, so a walk
 * over millions of rows never holds the serving thread for more than one chunk.
 */
export async function walkRows(
  db: Database.Database,
  range: { readonly afterSeq: number; readonly prevHash: string; readonly toSeq: number },
  onRow: (seq: number, hash: string, row: StoredAuditRow) => void,
  pause: () => Promise<void> = () => Promise.resolve(),
  chunk = 256,
): Promise<ChainBreak | null> {
  const select = db
    .prepare(`SELECT ${STORED_ROW_COLUMNS} FROM audit_log WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?`)
    .raw();
  let expected = range.afterSeq + 1;
  let prevHash = range.prevHash;
  while (expected <= range.toSeq) {
    const rows = select.all(expected - 1, range.toSeq, chunk) as StoredAuditRow[];
    if (rows.length === 0)
      return { seq: expected, reason: `row #${expected} is missing (the log ends at #${expected - 1})` };
    for (const row of rows) {
      const broken = checkRow(row, expected, prevHash);
      if (broken !== null) return broken;
      onRow(row[0], row[8], row);
      prevHash = row[8];
      expected += 1;
    }
    await pause();
  }
  return null;
}

/** The same checks, synchronously (the CLI has no thread to keep free); `onRow` may stop the walk. */
export function walkRowsSync(
  db: Database.Database,
  range: { readonly afterSeq: number; readonly prevHash: string; readonly toSeq: number },
  onRow: (seq: number, hash: string, row: StoredAuditRow) => ChainBreak | null,
): ChainBreak | null {
  const rows = db
    .prepare(`SELECT ${STORED_ROW_COLUMNS} FROM audit_log WHERE seq > ? AND seq <= ? ORDER BY seq`)
    .raw()
    .iterate(range.afterSeq, range.toSeq) as IterableIterator<StoredAuditRow>;
  let expected = range.afterSeq + 1;
  let prevHash = range.prevHash;
  for (const row of rows) {
    const broken = checkRow(row, expected, prevHash);
    if (broken !== null) return broken;
    const stop = onRow(row[0], row[8], row);
    if (stop !== null) return stop;
    prevHash = row[8];
    expected += 1;
  }
  if (expected <= range.toSeq) {
    return { seq: expected, reason: `row #${expected} is missing (the log ends at #${expected - 1})` };
  }
  return null;
}

function checkRow(row: StoredAuditRow, expected: number, prevHash: string): ChainBreak | null {
  const [seq, at, actor, action, target, outcome, detail, storedPrev, hash] = row;
  if (seq !== expected) {
    return { seq: expected, reason: `row #${expected} is missing (#${expected - 1} is followed by #${seq})` };
  }
  if (storedPrev !== prevHash) {
    const previous = expected === 1 ? 'the genesis hash' : `the hash of row #${expected - 1}`;
    return {
      seq,
      reason: `its prev_hash does not match ${previous}: a row was removed, replaced or moved here`,
    };
  }
  if (auditRowHashOrNull(prevHash, { seq, at, actor, action, target, outcome, detail }) !== hash) {
    return { seq, reason: 'its content does not match its hash: the row was edited' };
  }
  return null;
}

export { GENESIS_HASH };
