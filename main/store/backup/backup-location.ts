import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { StoreError } from '../store-errors.js';

const REASON_PATTERN = /^[a-z0-9][a-z0-9-]{0,47}$/;

/**
 * Reasons end up in file names, so they are a closed shape (lower-case words and dashes) rather than
 * something sanitized after the fact: no path separators, no dots, nothing a shell would expand.
 */
export function assertBackupReason(reason: string): void {
  if (typeof reason !== 'string' || !REASON_PATTERN.test(reason)) {
    throw new StoreError(
      'invalid-backup-reason',
      'A backup reason is 1-48 lower-case letters, digits and dashes, starting with a letter or digit.',
    );
  }
}

export function backupFolderFor(dataDir: string): string {
  return join(dataDir, 'backups');
}

/**
 * `<dataDir>/backups/osc-<ISO time>-<reason>.sqlite`, with ':' replaced by '-' so the name is valid
 * on Windows too, and a counter if two backups land in the same millisecond.
 */
export function nextBackupPath(dataDir: string, reason: string, at: Date): string {
  assertBackupReason(reason);
  const folder = backupFolderFor(dataDir);
  if (mkdirSync(folder, { recursive: true, mode: 0o700 }) !== undefined) chmodSync(folder, 0o700);
  const stamp = at.toISOString().replace(/:/g, '-');
  for (let n = 0; n < 1000; n += 1) {
    const suffix = n === 0 ? '' : `-${n}`;
    const candidate = join(folder, `osc-${stamp}-${reason}${suffix}.sqlite`);
    if (!existsSync(candidate) && !existsSync(`${candidate}.partial`)) return candidate;
  }
  throw new StoreError('invalid-backup-reason', `Too many backups named ${stamp}-${reason}.`);
}

/** The head anchor that travels with a backup: restore both files together. */
export function backupAnchorPathFor(backupPath: string): string {
  return backupPath.replace(/\.sqlite$/, '.audit-head.json');
}
