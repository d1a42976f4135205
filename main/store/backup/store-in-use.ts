import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { storePathFor } from '../store-files.js';

/**
 * Whether a console (or any other process) has the store open right now. In WAL mode every open
 * connection keeps a shared lock on the database file for as long as it is open, so a connection in
 * EXCLUSIVE locking mode that cannot take the file's exclusive lock (busy_timeout 0: no waiting) has
 * found another one. That is SQLite's own lock, so it also sees a console started from another
 * account or left by a crashed shell, and never a stale lock file.
 *
 * When nobody has it open the probe's own close is the last close: SQLite checkpoints the WAL into
 * the file and removes `-wal`, so the store can then be moved as one file. Answers false for a data
 * folder without a store.
 */
export function storeInUse(dataDir: string): boolean {
  const path = storePathFor(dataDir);
  if (!existsSync(path)) return false;
  const db = new Database(path, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    db.exec('BEGIN EXCLUSIVE; COMMIT');
    return false;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'SQLITE_BUSY') return true;
    throw error;
  } finally {
    db.close();
  }
}
