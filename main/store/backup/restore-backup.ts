import {
  copyFileSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  closeSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { anchorPathFor } from '../audit/audit-head-anchor.js';
import { StoreError } from '../store-errors.js';
import { storePathFor } from '../store-files.js';
import { checkIntegrityAt, verifyAuditAt } from '../store-tasks.js';
import { describeProblems } from '../integrity/integrity-check.js';
import { backupAnchorPathFor } from './backup-location.js';
import { storeInUse } from './store-in-use.js';
import { newestCheckpointMismatch } from './backup-checkpoint-check.js';

export type RestoreRefusal =
  | 'backup-missing'
  | 'backup-unreadable'
  | 'backup-damaged'
  | 'backup-audit-broken'
  | 'backup-too-new'
  | 'backup-checkpoint'
  | 'store-in-use';

export class RestoreRefusedError extends Error {
  constructor(
    readonly code: RestoreRefusal,
    message: string,
  ) {
    super(`${message} Nothing was changed.`);
    this.name = 'RestoreRefusedError';
  }
}

export interface RestoreResult {
  readonly restored: string;
  /** Where the store that was in place went (null: the data folder had none). */
  readonly replaced: { readonly store: string; readonly anchor: string | null } | null;
  /** The backup's audit chain as verified before the swap. */
  readonly auditRows: number;
  readonly headSeq: number;
}

/** Extra checks a later part of the store adds (signed checkpoints): a refusal message, or null. */
export type BackupCheck = (stagedDataDir: string) => string | null;

/**
 * Restores `backupPath` (with its `.audit-head.json`) as the store of `dataDir`. The backup is copied
 * into a staging folder inside the data dir first and every check runs on that copy, so what is
 * swapped in is exactly what was verified: SQLite's full integrity_check, a schema not newer than this
 * build (and migrations not edited), the audit chain against the backup's own anchor, its newest
 * signed checkpoint (when it has any), then `checks`.
 * Any failure, or a console with the store open, refuses with a RestoreRefusedError and leaves the
 * current store as it was. On success the current store and its anchor are moved to
 * `<dataDir>/replaced/osc-<time>.*` (kept, never deleted) and the copy renamed into place.
 */
export function restoreBackup(options: {
  readonly backupPath: string;
  readonly dataDir: string;
  readonly at: Date;
  readonly checks?: readonly BackupCheck[];
}): RestoreResult {
  const { backupPath, dataDir, at } = options;
  if (!existsSync(backupPath))
    throw new RestoreRefusedError('backup-missing', `There is no file ${backupPath}.`);
  refuseWhileInUse(dataDir);
  const stamp = at.toISOString().replace(/:/g, '-');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const staging = join(dataDir, `.restore-${stamp}`);
  mkdirSync(staging, { mode: 0o700 });
  try {
    copyDurably(backupPath, storePathFor(staging));
    const anchor = backupAnchorPathFor(backupPath);
    if (existsSync(anchor)) copyDurably(anchor, anchorPathFor(staging));
    const audit = verifyStaged(staging, backupPath);
    for (const check of [newestCheckpointMismatch, ...(options.checks ?? [])]) {
      const refusal = check(staging);
      if (refusal !== null) throw new RestoreRefusedError('backup-checkpoint', `${backupPath}: ${refusal}.`);
    }
    // Again right before the swap: a console started while the backup was being checked.
    refuseWhileInUse(dataDir);
    const replaced = moveCurrentAside(dataDir, stamp);
    renameSync(storePathFor(staging), storePathFor(dataDir));
    if (existsSync(anchorPathFor(staging))) renameSync(anchorPathFor(staging), anchorPathFor(dataDir));
    return { restored: backupPath, replaced, auditRows: audit.rows, headSeq: audit.headSeq };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function refuseWhileInUse(dataDir: string): void {
  if (storeInUse(dataDir)) {
    throw new RestoreRefusedError(
      'store-in-use',
      `The store in ${dataDir} is open (a console is running on it): stop the console, then restore.`,
    );
  }
}

function verifyStaged(staging: string, backupPath: string): { rows: number; headSeq: number } {
  let integrity;
  try {
    integrity = checkIntegrityAt(staging, 'full');
  } catch (error) {
    if (error instanceof StoreError && error.code === 'store-too-new') {
      throw new RestoreRefusedError(
        'backup-too-new',
        `${backupPath} is from a newer console: ${error.message}`,
      );
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new RestoreRefusedError('backup-unreadable', `${backupPath} cannot be read as a store: ${reason}`);
  }
  if (!integrity.ok) {
    throw new RestoreRefusedError(
      'backup-damaged',
      `${backupPath} is damaged (${describeProblems(integrity)}).`,
    );
  }
  const audit = verifyAuditAt(staging);
  if (!audit.ok) {
    throw new RestoreRefusedError(
      'backup-audit-broken',
      `The audit log of ${backupPath} is BROKEN at row #${audit.brokenSeq}: ${audit.reason}.`,
    );
  }
  return { rows: audit.rows, headSeq: audit.headSeq };
}

/**
 * The store in place goes to `<dataDir>/replaced/` (not `backups/`: a refusal names the newest backup
 * to restore, and that must not be the store just replaced). Its -wal was folded in by the in-use
 * probe's close; a -shm or -wal still there (another OS's leftovers) moves with it.
 */
function moveCurrentAside(dataDir: string, stamp: string): RestoreResult['replaced'] {
  const current = storePathFor(dataDir);
  if (!existsSync(current)) return null;
  const folder = join(dataDir, 'replaced');
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const store = join(folder, `osc-${stamp}.sqlite`);
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(`${current}${suffix}`)) renameSync(`${current}${suffix}`, `${store}${suffix}`);
  }
  renameSync(current, store);
  const anchorNow = anchorPathFor(dataDir);
  const anchor = existsSync(anchorNow) ? join(folder, `osc-${stamp}.audit-head.json`) : null;
  if (anchor !== null) renameSync(anchorNow, anchor);
  return { store, anchor };
}

function copyDurably(from: string, to: string): void {
  copyFileSync(from, to);
  const fd = openSync(to, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function describeRestore(result: RestoreResult): string {
  const lines = [
    `restored ${result.restored}: integrity_check ok, audit log OK (${result.auditRows} rows, head #${result.headSeq})`,
  ];
  if (result.replaced === null) lines.push('there was no store in place');
  else {
    lines.push(`the store that was in place is kept as ${result.replaced.store}`);
    if (result.replaced.anchor !== null)
      lines.push(`with its audit anchor ${basename(result.replaced.anchor)}`);
  }
  return `${lines.join('\n')}\n`;
}
