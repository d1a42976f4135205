import { existsSync, statSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { anchorPathFor } from '../audit/audit-head-anchor.js';
import { newestBackup, restoreAdvice } from '../backup/newest-backup.js';
import { StoreError } from '../store-errors.js';
import { storePathFor } from '../store-files.js';
import { checkIntegrity, describeProblems, type IntegrityMode } from './integrity-check.js';

/** SQLite's own check found damage; the message names the newest backup to restore. */
export class StoreDamagedError extends StoreError {
  constructor(
    readonly path: string,
    readonly problems: readonly string[],
    summary: string,
    dataDir: string,
  ) {
    super(
      'store-damaged',
      `The store ${path} is damaged (${summary}). The console does not start on a damaged store. ` +
        restoreAdvice(dataDir),
    );
    this.name = 'StoreDamagedError';
  }
}

/** Throws StoreDamagedError unless `db` passes the check; never writes to the file. */
export function assertStoreIntact(db: Database.Database, dataDir: string, mode: IntegrityMode): void {
  const report = checkIntegrity(db, mode);
  if (!report.ok) {
    throw new StoreDamagedError(storePathFor(dataDir), report.problems, describeProblems(report), dataDir);
  }
}

/**
 * A data folder that once held a store (it has an audit anchor, which the first audit row writes,
 * or a backup) but whose osc.sqlite is now missing or zero bytes is not a fresh install: creating a
 * new store there would hand the console to whoever sets up the "first" administrator and start a new
 * audit log over the old one. Refuse instead; only an empty folder gets a new store.
 */
export function refuseLostStore(dataDir: string): void {
  const path = storePathFor(dataDir);
  const state = !existsSync(path) ? 'missing' : statSync(path).size === 0 ? 'empty' : null;
  if (state === null) return;
  const traces = [
    existsSync(anchorPathFor(dataDir)) ? 'an audit anchor (audit-head.json)' : null,
    newestBackup(dataDir) !== null ? 'backups' : null,
  ].filter((trace) => trace !== null);
  if (traces.length === 0) return;
  throw new StoreError(
    'store-lost',
    `The store ${path} is ${state}, but this data folder has ${traces.join(' and ')}: it held a store, ` +
      `so no new one is created over it. ${restoreAdvice(dataDir)}`,
  );
}
