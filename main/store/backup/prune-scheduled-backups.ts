import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { backupAnchorPathFor, backupFolderFor } from './backup-location.js';

export const SCHEDULED_BACKUP_REASON = 'scheduled';
/** Besides the newest (daily) ones: the newest backup of each of the last four weeks that had one. */
export const DEFAULT_WEEKLY_BACKUPS_KEPT = 4;

/**
 * Keeps the newest `keep` scheduled backups (with their head anchors) — a week of dailies by
 * default — plus the newest one of each of the `weekly` most recent ISO weeks (Monday to Sunday,
 * UTC) that had one, so a damage noticed only after a fortnight still has a copy from before it.
 * Deletes the other scheduled ones, so a console left running for months does not fill its disk.
 * Only the schedule's own files (`osc-<time>-scheduled[-n].sqlite`) are ever removed: backups taken
 * before a migration, by hand or copied in stay until an administrator removes them. Returns the
 * removed paths.
 */
export function pruneScheduledBackups(
  dataDir: string,
  keep: number,
  weekly: number = DEFAULT_WEEKLY_BACKUPS_KEPT,
): string[] {
  if (!Number.isInteger(keep) || keep < 1) throw new RangeError('keep at least one scheduled backup');
  if (!Number.isInteger(weekly) || weekly < 0) throw new RangeError('weekly backups kept: 0 or more');
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
  const kept = new Set(scheduled.slice(-keep));
  // Newest first: the first backup seen of a week is that week's newest.
  const weeks = new Set<string>();
  for (const name of [...scheduled].reverse()) {
    if (weeks.size >= weekly) break;
    const week = isoWeekOf(order(name)[0]);
    if (week === null || weeks.has(week)) continue;
    weeks.add(week);
    kept.add(name);
  }
  const removed: string[] = [];
  for (const name of scheduled.filter((candidate) => !kept.has(candidate))) {
    const path = join(folder, name);
    rmSync(backupAnchorPathFor(path), { force: true });
    rmSync(path, { force: true });
    removed.push(path);
  }
  return removed;
}

/** `2026-W05` for a name's time (`2026-01-28T10-00-00.000Z`), or null for a name that is not one. */
export function isoWeekOf(stamp: string): string | null {
  const match = /^(\d{4})-(\d\d)-(\d\d)T/.exec(stamp);
  if (match === null) return null;
  const day = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  if (Number.isNaN(day.getTime())) return null;
  // ISO 8601: the week belongs to the year of its Thursday.
  const thursday = new Date(day.getTime() + (3 - ((day.getUTCDay() + 6) % 7)) * 86_400_000);
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  const week = Math.floor((thursday.getTime() - yearStart) / 86_400_000 / 7) + 1;
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}
