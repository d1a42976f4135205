import type Database from 'better-sqlite3';
import type { Migration } from './migration.js';
import { migrationChecksum, migrationLabel } from './migration-plan.js';
import { MigrationFailedError } from '../store-errors.js';

const CREATE_BOOKKEEPING = `
CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  checksum TEXT NOT NULL,
  applied_at TEXT NOT NULL
) STRICT`;

/**
 * Applies every pending migration in ONE transaction: either the store moves to the newest schema or
 * it stays exactly as it was. `PRAGMA user_version` lives in the database header and is part of the
 * same transaction, so it rolls back with the rest.
 */
export function applyMigrations(
  db: Database.Database,
  pending: readonly Migration[],
  appliedAt: string,
): void {
  let current: Migration | undefined;
  const first = pending[0];
  const last = pending.at(-1);
  if (first === undefined || last === undefined) return;
  const record = (): void => {
    // The plan was made before the write lock: another connection (the engine worker opening the
    // same store) may have migrated in between. Re-check under the lock instead of re-applying.
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version >= last.version) return;
    if (version !== first.version - 1) {
      throw new Error(`the store moved to schema version ${version} while this migration was planned`);
    }
    db.exec(CREATE_BOOKKEEPING);
    const insert = db.prepare(
      'INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)',
    );
    for (const migration of pending) {
      current = migration;
      db.exec(migration.sql);
      insert.run(migration.version, migration.name, migrationChecksum(migration), appliedAt);
      // The pragma takes no bound parameter; the value is an integer from the code's own registry.
      db.pragma(`user_version = ${String(Math.trunc(migration.version))}`);
    }
  };
  try {
    db.transaction(record).immediate();
  } catch (error) {
    throw new MigrationFailedError(current ? migrationLabel(current) : 'bookkeeping', error);
  }
}
