import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Migration } from '../../../main/store/migrations/migration.js';
import { MIGRATIONS } from '../../../main/store/migrations/index.js';
import {
  assertMigrationList,
  migrationChecksum,
  planMigrations,
} from '../../../main/store/migrations/migration-plan.js';
import { applyMigrations } from '../../../main/store/migrations/apply-migrations.js';
import {
  MigrationChecksumError,
  MigrationFailedError,
  StoreError,
  StoreTooNewError,
} from '../../../main/store/store-errors.js';

const one: Migration = { version: 1, name: 'one', sql: 'CREATE TABLE a (x INTEGER) STRICT;' };
const two: Migration = { version: 2, name: 'two', sql: 'CREATE TABLE b (y TEXT) STRICT;' };
const AT = '2025-01-01T00:00:00.000Z';

let db: Database.Database;
beforeEach(() => {
  db = new Database(':memory:');
});
afterEach(() => db.close());

const userVersion = (): number => db.pragma('user_version', { simple: true }) as number;
const tableNames = (): string[] =>
  (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
      name: string;
    }[]
  ).map((r) => r.name);

describe('the migration registry', () => {
  it('is numbered 1..n in order with valid names', () => {
    expect(() => assertMigrationList(MIGRATIONS)).not.toThrow();
    expect(MIGRATIONS[0]?.name).toBe('foundation');
  });

  it('rejects a gap, a duplicate or a bad name', () => {
    expect(() => assertMigrationList([two])).toThrow(/entry 0 is version 2/);
    expect(() => assertMigrationList([one, one])).toThrow(/entry 1 is version 1/);
    expect(() => assertMigrationList([{ ...one, name: 'Bad Name' }])).toThrow(/invalid name/);
  });

  it('checksums are sha256 of the SQL', () => {
    expect(migrationChecksum(one)).toMatch(/^[0-9a-f]{64}$/);
    expect(migrationChecksum({ ...one, sql: `${one.sql} ` })).not.toBe(migrationChecksum(one));
  });
});

describe('planMigrations', () => {
  it('plans every migration for an empty database', () => {
    expect(planMigrations(db, [one, two], 'mem')).toEqual({ currentVersion: 0, pending: [one, two] });
  });

  it('plans only the missing ones after some were applied', () => {
    applyMigrations(db, [one], AT);
    expect(planMigrations(db, [one, two], 'mem')).toEqual({ currentVersion: 1, pending: [two] });
    applyMigrations(db, [two], AT);
    expect(planMigrations(db, [one, two], 'mem').pending).toEqual([]);
  });

  it('refuses a database newer than the code with StoreTooNewError', () => {
    applyMigrations(db, [one, two], AT);
    const attempt = (): unknown => planMigrations(db, [one], '/data/osc.sqlite');
    expect(attempt).toThrow(StoreTooNewError);
    expect(attempt).toThrow(/schema version 2, but this version of the console only knows up to 1/);
  });

  it('names the migration whose SQL changed after it was applied', () => {
    applyMigrations(db, [one, two], AT);
    const edited = { ...two, sql: 'CREATE TABLE b (y TEXT, z TEXT) STRICT;' };
    expect(() => planMigrations(db, [one, edited], 'mem')).toThrow(MigrationChecksumError);
    expect(() => planMigrations(db, [one, edited], 'mem')).toThrow(/Migration 002-two does not match/);
  });

  it('names a migration that was renamed after it was applied', () => {
    applyMigrations(db, [one], AT);
    expect(() => planMigrations(db, [{ ...one, name: 'uno' }], 'mem')).toThrow(
      /001-uno .*applied version 1 as "one"/,
    );
  });

  it('refuses a version-0 file that already has tables (not ours)', () => {
    db.exec('CREATE TABLE foreign_stuff (x)');
    expect(() => planMigrations(db, [one], 'mem')).toThrow(/not a store written by this console/);
  });

  it('refuses a version without bookkeeping, or bookkeeping that disagrees with it', () => {
    db.pragma('user_version = 1');
    expect(() => planMigrations(db, [one], 'mem')).toThrow(/no schema_migrations table/);
    db.pragma('user_version = 0');
    applyMigrations(db, [one, two], AT);
    db.pragma('user_version = 1');
    expect(() => planMigrations(db, [one, two], 'mem')).toThrow(StoreError);
    expect(() => planMigrations(db, [one, two], 'mem')).toThrow(/records migrations \[1,2\]/);
  });
});

describe('applyMigrations', () => {
  it('records version, name, checksum and time, and sets user_version', () => {
    applyMigrations(db, [one, two], AT);
    expect(userVersion()).toBe(2);
    expect(db.prepare('SELECT version, name, checksum, applied_at FROM schema_migrations').all()).toEqual([
      { version: 1, name: 'one', checksum: migrationChecksum(one), applied_at: AT },
      { version: 2, name: 'two', checksum: migrationChecksum(two), applied_at: AT },
    ]);
  });

  it('applies all pending migrations in one transaction: a failure leaves nothing behind', () => {
    const broken: Migration = {
      version: 2,
      name: 'broken',
      sql: 'CREATE TABLE c (z TEXT) STRICT; SELECT nope();',
    };
    expect(() => applyMigrations(db, [one, broken], AT)).toThrow(MigrationFailedError);
    expect(() => applyMigrations(db, [one, broken], AT)).toThrow(/Migration 002-broken failed .*rolled back/);
    expect(userVersion()).toBe(0);
    expect(tableNames()).toEqual([]);
  });

  it('keeps earlier migrations when a later batch fails', () => {
    applyMigrations(db, [one], AT);
    db.prepare('INSERT INTO a (x) VALUES (42)').run();
    const broken: Migration = {
      version: 2,
      name: 'broken',
      sql: 'INSERT INTO a (x) VALUES (1); CREATE TABLE a (x);',
    };
    expect(() => applyMigrations(db, [broken], AT)).toThrow(MigrationFailedError);
    expect(userVersion()).toBe(1);
    expect(db.prepare('SELECT x FROM a').all()).toEqual([{ x: 42 }]);
  });

  it('does nothing for an empty plan', () => {
    applyMigrations(db, [], AT);
    expect(tableNames()).toEqual([]);
  });
});

describe('applyMigrations with two connections', () => {
  it('skips a plan another connection already applied while it waited for the lock', () => {
    const dir = mkdtempSync(join(tmpdir(), 'osc-migrate-race-'));
    const a = new Database(join(dir, 'race.sqlite'));
    const b = new Database(join(dir, 'race.sqlite'));
    try {
      const planA = planMigrations(a, [one, two], 'race');
      const planB = planMigrations(b, [one, two], 'race');
      applyMigrations(a, planA.pending, AT);
      expect(() => applyMigrations(b, planB.pending, AT)).not.toThrow();
      expect(b.pragma('user_version', { simple: true })).toBe(2);
      expect(b.prepare('SELECT count(*) AS n FROM schema_migrations').get()).toEqual({ n: 2 });
    } finally {
      a.close();
      b.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
