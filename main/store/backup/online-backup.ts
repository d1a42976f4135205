import { chmodSync, renameSync, rmSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { BackupResult } from '../types.js';
import { readChainHead } from '../audit/audit-chain-head.js';
import { writeAnchorAtomically } from '../audit/audit-head-anchor.js';
import { backupAnchorPathFor, nextBackupPath } from './backup-location.js';

/**
 * Online backup through SQLite's backup API (better-sqlite3 `db.backup()`): readers and writers
 * keep working while pages are copied. The copy is written under a `.partial` name and renamed only
 * when complete, so a failed backup never looks like a good one.
 */
export async function onlineBackup(
  db: Database.Database,
  dataDir: string,
  reason: string,
  at: Date,
): Promise<BackupResult> {
  const path = nextBackupPath(dataDir, reason, at);
  const partial = `${path}.partial`;
  try {
    await db.backup(partial);
    chmodSync(partial, 0o600);
    renameSync(partial, path);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  writeBackupAnchor(path);
  return { path, bytes: statSync(path).size };
}

/**
 * A synchronous copy for the moment before migrating, when the store is being opened and nothing
 * else can be waited for. VACUUM INTO writes a consistent, compacted copy of the live database.
 */
export function backupBeforeMigrating(
  db: Database.Database,
  dataDir: string,
  reason: string,
  at: Date,
): string {
  const path = nextBackupPath(dataDir, reason, at);
  const partial = `${path}.partial`;
  try {
    db.prepare('VACUUM INTO ?').run(partial);
    chmodSync(partial, 0o600);
    renameSync(partial, path);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  writeBackupAnchor(path);
  return path;
}

/**
 * Each backup gets the head anchor of its own snapshot (read from the copy itself), so a restored
 * backup verifies, and rows later cut from the end of the backup file are noticed like in the live store.
 */
function writeBackupAnchor(backupPath: string): void {
  const copy = new Database(backupPath, { fileMustExist: true });
  try {
    // The copy inherits the live store's WAL flag; a rollback-journal backup is one self-contained
    // file that can be moved, mailed to an auditor or opened read-only without side files.
    copy.pragma('journal_mode = DELETE');
    const hasAudit = copy
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'")
      .get();
    if (hasAudit === undefined) return;
    const head = readChainHead(copy);
    if (head.seq > 0) writeAnchorAtomically(backupAnchorPathFor(backupPath), head);
  } finally {
    copy.close();
  }
}
