import { watch, type FSWatcher } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Tells the engine when a drop folder may have new files: fs.watch for speed, plus a periodic scan
 * because watchers miss events on network shares and some container filesystems. The scan compares
 * a listing signature (names, sizes, mtimes), so an unchanged folder costs one readdir and no work.
 */
export interface CsvDropWatcher {
  close(): void;
}

export function watchCsvDrop(options: {
  readonly folder: string;
  readonly onChange: () => void;
  readonly scanIntervalMs?: number;
  readonly debounceMs?: number;
}): CsvDropWatcher {
  let closed = false;
  let debounce: NodeJS.Timeout | null = null;
  let lastSignature: string | null = null;
  const fire = (): void => {
    if (closed || debounce !== null) return;
    debounce = setTimeout(() => {
      debounce = null;
      if (!closed) options.onChange();
    }, options.debounceMs ?? 250);
  };

  let watcher: FSWatcher | null = null;
  try {
    watcher = watch(options.folder, { persistent: false }, () => fire());
    // A watcher error (folder removed, share gone) leaves the periodic scan to carry on.
    watcher.on('error', () => {
      watcher?.close();
      watcher = null;
    });
  } catch {
    watcher = null;
  }

  const scan = async (): Promise<void> => {
    const entries = await readdir(options.folder).catch(() => [] as string[]);
    const parts = await Promise.all(
      entries.sort().map(async (name) => {
        const info = await stat(join(options.folder, name)).catch(() => null);
        return info === null ? '' : `${name}:${info.size}:${info.mtimeMs}`;
      }),
    );
    const signature = parts.join('|');
    // The first scan fires too when files are waiting: they were dropped while we were not watching.
    if (signature !== lastSignature && (lastSignature !== null || entries.length > 0)) fire();
    lastSignature = signature;
  };
  void scan();
  const timer = setInterval(() => void scan(), options.scanIntervalMs ?? 10_000);
  timer.unref();

  return {
    close() {
      closed = true;
      clearInterval(timer);
      if (debounce !== null) clearTimeout(debounce);
      watcher?.close();
    },
  };
}
