import { backupStoreAt } from '../../store/store-tasks.js';

export interface BackupArgs {
  readonly dataDir: string;
}

/**
 * `osc backup`: an online backup of the store in `dataDir` (safe while the console is running) into
 * `<dataDir>/backups/`, with its head anchor beside it. Exit codes: 0 written, 2 failed.
 */
export async function backupCommand(args: BackupArgs, out: NodeJS.WritableStream): Promise<number> {
  try {
    const result = await backupStoreAt(args.dataDir, 'cli');
    out.write(`backup written: ${result.path} (${formatBytes(result.bytes)})\n`);
    return 0;
  } catch (error) {
    out.write(`backup failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit] ?? 'TiB'}, ${bytes} bytes`;
}
