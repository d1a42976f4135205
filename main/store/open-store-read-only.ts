import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Migration } from './migrations/migration.js';
import { MIGRATIONS } from './migrations/index.js';
import { planMigrations } from './migrations/migration-plan.js';
import { StoreError } from './store-errors.js';
import { BUSY_TIMEOUT_MS, storePathFor } from './store-files.js';

/**
 * A read-only connection to an existing store, for work that must never change it: verifying the
 * audit chain, taking a backup from the CLI or the store worker. It refuses the same stores
 * openStore refuses (too new, edited migrations) but never migrates: an older store is read as is.
 */
export function openStoreReadOnly(
  dataDir: string,
  migrations: readonly Migration[] = MIGRATIONS,
): Database.Database {
  const path = storePathFor(dataDir);
  if (!existsSync(path)) {
    throw new StoreError('store-missing', `There is no store at ${path}: check --data-dir.`);
  }
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new StoreError('store-unreadable', `Cannot open ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    const plan = planMigrations(db, migrations, path);
    if (plan.currentVersion === 0) {
      throw new StoreError(
        'store-unreadable',
        `${path} has no schema yet: it was never opened by the console.`,
      );
    }
    return db;
  } catch (error) {
    db.close();
    if (error instanceof StoreError) throw error;
    // "file is not a database" and friends: say which file, keep SQLite's reason.
    throw new StoreError('store-unreadable', `Cannot read ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
