import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Migration } from './migration.js';
import { MigrationChecksumError, StoreError, StoreTooNewError } from '../store-errors.js';

/** What opening a store has to do: nothing, or apply `pending` on top of `currentVersion`. */
export interface MigrationPlan {
  readonly currentVersion: number;
  readonly pending: readonly Migration[];
}

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
}

export function migrationChecksum(migration: Migration): string {
  return createHash('sha256').update(migration.sql, 'utf8').digest('hex');
}

export function migrationLabel(migration: Pick<Migration, 'version' | 'name'>): string {
  return `${String(migration.version).padStart(3, '0')}-${migration.name}`;
}

/** A broken registry is a programming error; catch it before it touches any store. */
export function assertMigrationList(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(
        `Migration list out of order: entry ${index} is version ${migration.version}, expected ${index + 1}`,
      );
    }
    if (!/^[a-z0-9][a-z0-9-]*$/.test(migration.name)) {
      throw new Error(`Migration ${migration.version} has an invalid name "${migration.name}"`);
    }
  });
}

function readUserVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function hasTable(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

function countUserObjects(db: Database.Database): number {
  const row = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").get() as {
    n: number;
  };
  return row.n;
}

/**
 * Reads the store's schema state without writing anything, and refuses every state the code cannot
 * safely continue from: a newer schema, an edited applied migration, or a bookkeeping mismatch.
 */
export function planMigrations(
  db: Database.Database,
  migrations: readonly Migration[],
  path: string,
): MigrationPlan {
  assertMigrationList(migrations);
  const currentVersion = readUserVersion(db);
  const newest = migrations.length;
  if (currentVersion > newest) throw new StoreTooNewError(path, currentVersion, newest);

  if (currentVersion === 0) {
    // A version-0 file with tables was not created by this console (or by a half-applied foreign
    // tool); migrating on top of it could mix two schemas, so stop and say so.
    if (countUserObjects(db) > 0) {
      throw new StoreError(
        'migration-state',
        `${path} already holds tables but no schema version: it is not a store written by this console.`,
      );
    }
    return { currentVersion, pending: migrations };
  }

  if (!hasTable(db, 'schema_migrations')) {
    throw new StoreError(
      'migration-state',
      `${path} has schema version ${currentVersion} but no schema_migrations table; the store is damaged.`,
    );
  }
  const applied = db
    .prepare('SELECT version, name, checksum FROM schema_migrations ORDER BY version')
    .all() as AppliedRow[];
  const versions = applied.map((row) => row.version).join(',');
  const expected = Array.from({ length: currentVersion }, (_, i) => i + 1).join(',');
  if (versions !== expected) {
    throw new StoreError(
      'migration-state',
      `${path} has schema version ${currentVersion} but records migrations [${versions}]; the store is damaged.`,
    );
  }
  for (const row of applied) {
    const code = migrations[row.version - 1];
    if (code === undefined) continue; // unreachable: versions <= currentVersion <= newest
    if (code.name !== row.name) {
      throw new MigrationChecksumError(
        migrationLabel(code),
        `the store applied version ${row.version} as "${row.name}"`,
      );
    }
    if (migrationChecksum(code) !== row.checksum) {
      throw new MigrationChecksumError(migrationLabel(code), 'its SQL checksum changed since it was applied');
    }
  }
  return { currentVersion, pending: migrations.slice(currentVersion) };
}
