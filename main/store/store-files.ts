import { join } from 'node:path';

/** The store's one database file inside a data dir; the head anchor and backups sit beside it. */
export const STORE_FILE = 'osc.sqlite';

export function storePathFor(dataDir: string): string {
  return join(dataDir, STORE_FILE);
}

/** How long a connection waits for another connection's write lock before giving up (ms). */
export const BUSY_TIMEOUT_MS = 5000;
