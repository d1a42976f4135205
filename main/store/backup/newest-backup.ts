import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { backupFolderFor } from './backup-location.js';

/**
 * The newest complete backup in `<dataDir>/backups/`, or null. Newest by the time in its name
 * (`osc-<ISO time>-<reason>.sqlite`, which sorts as text), then by modification time: a backup copied
 * in from elsewhere keeps the name of the moment it was taken. `.partial` files never count.
 */
export function newestBackup(dataDir: string): string | null {
  const folder = backupFolderFor(dataDir);
  let names: string[];
  try {
    names = readdirSync(folder).filter((name) => /^osc-.+\.sqlite$/.test(name));
  } catch {
    return null;
  }
  const dated = names.map((name) => ({
    name,
    stamp: /^osc-(\d{4}-\d\d-\d\dT[\d-]+\.\d{3}Z)-/.exec(name)?.[1] ?? '',
    mtime: statSync(join(folder, name)).mtimeMs,
  }));
  dated.sort((a, b) => a.stamp.localeCompare(b.stamp) || a.mtime - b.mtime);
  const newest = dated.at(-1);
  return newest ? join(folder, newest.name) : null;
}

/** The sentence every refusal ends with: which backup to restore, or that there is none. */
export function restoreAdvice(dataDir: string): string {
  const newest = newestBackup(dataDir);
  if (newest === null) {
    return `There is no backup in ${backupFolderFor(dataDir)}; keep the files as they are and get help before changing them.`;
  }
  return (
    `The newest backup is ${newest}: stop the console and run \`osc restore ${newest} --data-dir ${dataDir}\`, ` +
    'which verifies it before swapping it in and keeps the replaced store. Nothing was changed.'
  );
}
