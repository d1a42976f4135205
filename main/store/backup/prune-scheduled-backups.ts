import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { backupAnchorPathFor, backupFolderFor } from './backup-location.js';

export const SCHEDULED_BACKUP_REASON = 'scheduled';

/**
 * Keeps the newest `keep` scheduled backups (with their head anchors) and deletes older scheduled
 * ones, so a console left running for months does not fill its disk. Only the schedule's own files
 * (`osc-<time>-scheduled[-n].sqlite`) are ever removed: backups taken before a migration, by hand or
 * copied in stay until an administrator removes them. Returns the removed paths.
 */
export function pruneScheduledBackups(dataDir: string, keep: number): string[] {
  if (!Number.isInteger(keep) || keep < 1) throw new RangeError('keep at least one scheduled backup');
  const folder = backupFolderFor(dataDir);
  const pattern = new RegExp(`^osc-(.+)-${SCHEDULED_BACKUP_REASON}(?:-(\\d+))?\\.sqlite$`);
  // By the time in the name, then the counter nextBackupPath adds within one millisecond.
  const order = (name: string): [string, number] => {
    const match = pattern.exec(name);
    return [match?.[1] ?? '', Number(match?.[2] ?? 0)];
  };
  const scheduled = readdirSync(folder)
    .filter((name) => pattern.test(name))
    .sort((a, b) => {
      const [stampA, countA] = order(a);
      const [stampB, countB] = order(b);
      return stampA.localeCompare(stampB) || countA - countB;
    });
  const removed: string[] = [];
  for (const name of scheduled.slice(0, Math.max(0, scheduled.length - keep))) {
    const path = join(folder, name);
    rmSync(backupAnchorPathFor(path), { force: true });
    rmSync(path, { force: true });
    removed.push(path);
  }
  return removed;
}
