import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../../main/store/open-store.js';
import { MIGRATIONS } from '../../../main/store/migrations/index.js';
import type { Migration } from '../../../main/store/migrations/migration.js';
import {
  MigrationChecksumError,
  MigrationFailedError,
  StoreError,
  StoreTooNewError,
} from '../../../main/store/store-errors.js';
import { quietLog, sampleEntries, useTempDataDir } from './temp-data-dir.js';

const temp = useTempDataDir();
const N = MIGRATIONS.length;
const fileHash = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
const extra: Migration = {
  version: MIGRATIONS.length + 1,
  name: 'test-extra',
  sql: 'CREATE TABLE test_extra (id INTEGER PRIMARY KEY, note TEXT NOT NULL) STRICT;',
};

describe('openStore', () => {
  it('creates a private data dir and file, in WAL with synchronous=FULL and foreign keys on', () => {
    const store = openStore({ dataDir: temp.dataDir(), log: quietLog });
    try {
      expect(store.path).toBe(join(temp.dataDir(), 'osc.sqlite'));
      expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(store.db.pragma('synchronous', { simple: true })).toBe(2); // FULL
      expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(store.db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
      expect(store.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      if (process.platform !== 'win32') {
        expect(statSync(temp.dataDir()).mode & 0o777).toBe(0o700);
        expect(statSync(store.path).mode & 0o777).toBe(0o600);
      }
    } finally {
      store.close();
    }
  });

  it('reopens an up-to-date store without migrating or backing it up again', () => {
    const first = openStore({ dataDir: temp.dataDir(), log: quietLog });
    first.audit.appendMany(sampleEntries(3));
    first.close();
    const again = openStore({ dataDir: temp.dataDir(), log: quietLog });
    try {
      expect(again.audit.verify()).toMatchObject({ ok: true, rows: 3 });
      expect(existsSync(join(temp.dataDir(), 'backups'))).toBe(false);
    } finally {
      again.close();
    }
  });

  it('close() can be called twice', () => {
    const store = openStore({ dataDir: temp.dataDir(), log: quietLog });
    store.close();
    expect(() => store.close()).not.toThrow();
  });

  it('refuses a store from a newer console with StoreTooNewError, without changing a byte', () => {
    const store = openStore({ dataDir: temp.dataDir(), migrations: [...MIGRATIONS, extra], log: quietLog });
    store.audit.append(sampleEntries(1)[0]!);
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    store.db.pragma('journal_mode = DELETE'); // one self-contained file, so its bytes say everything
    store.close();
    const before = fileHash(join(temp.dataDir(), 'osc.sqlite'));
    const attempt = (): unknown => openStore({ dataDir: temp.dataDir(), log: quietLog });
    expect(attempt).toThrow(StoreTooNewError);
    expect(attempt).toThrow(
      new RegExp(`schema version ${N + 1}, but this version of the console only knows up to ${N}`),
    );
    expect(fileHash(join(temp.dataDir(), 'osc.sqlite'))).toBe(before);
    expect(existsSync(join(temp.dataDir(), 'osc.sqlite-wal'))).toBe(false);
  });

  it('refuses a store whose applied migration was edited, naming it', () => {
    openStore({ dataDir: temp.dataDir(), log: quietLog }).close();
    const edited = MIGRATIONS.map((m, i) => (i === 0 ? { ...m, sql: `${m.sql}\n-- edited` } : m));
    expect(() => openStore({ dataDir: temp.dataDir(), migrations: edited, log: quietLog })).toThrow(
      MigrationChecksumError,
    );
    expect(() => openStore({ dataDir: temp.dataDir(), migrations: edited, log: quietLog })).toThrow(
      /Migration 001-foundation does not match/,
    );
  });

  it('backs up a store with data before migrating it, then migrates it', () => {
    const old = openStore({ dataDir: temp.dataDir(), log: quietLog });
    old.audit.appendMany(sampleEntries(4));
    old.close();
    const migrated = openStore({
      dataDir: temp.dataDir(),
      migrations: [...MIGRATIONS, extra],
      log: quietLog,
    });
    try {
      expect(migrated.db.pragma('user_version', { simple: true })).toBe(extra.version);
      migrated.db.prepare("INSERT INTO test_extra (note) VALUES ('x')").run();
      expect(migrated.audit.verify()).toMatchObject({ ok: true, rows: 4 });
    } finally {
      migrated.close();
    }
    const backups = readdirSync(join(temp.dataDir(), 'backups'));
    const file = backups.find((name) => name.endsWith('.sqlite'));
    expect(file).toMatch(/^osc-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z-pre-migrate-v\d+-to-v\d+\.sqlite$/);
    expect(file).toContain(`pre-migrate-v${N}-to-v${N + 1}`);
    const copy = new Database(join(temp.dataDir(), 'backups', file!), { readonly: true });
    try {
      expect(copy.pragma('user_version', { simple: true })).toBe(N);
      expect((copy.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n).toBe(4);
    } finally {
      copy.close();
    }
  });

  it('upgrades a store created with only the first migration through every real migration', () => {
    const v1 = openStore({ dataDir: temp.dataDir(), migrations: MIGRATIONS.slice(0, 1), log: quietLog });
    v1.audit.appendMany(sampleEntries(5));
    v1.close();
    const current = openStore({ dataDir: temp.dataDir(), log: quietLog });
    try {
      expect(current.db.pragma('user_version', { simple: true })).toBe(N);
      expect(current.audit.verify()).toMatchObject({ ok: true, rows: 5 });
      const applied = current.db.prepare('SELECT version FROM schema_migrations ORDER BY version').all();
      expect(applied).toEqual(MIGRATIONS.map((m) => ({ version: m.version })));
    } finally {
      current.close();
    }
  });

  it('does not back up a brand-new store (nothing to lose)', () => {
    openStore({ dataDir: temp.dataDir(), migrations: [...MIGRATIONS, extra], log: quietLog }).close();
    expect(existsSync(join(temp.dataDir(), 'backups'))).toBe(false);
  });

  it('rolls a failed migration back, keeps the data, and throws MigrationFailedError', () => {
    const old = openStore({ dataDir: temp.dataDir(), log: quietLog });
    old.audit.appendMany(sampleEntries(2));
    old.close();
    const broken: Migration = { ...extra, sql: `${extra.sql} INSERT INTO no_such_table VALUES (1);` };
    expect(() =>
      openStore({ dataDir: temp.dataDir(), migrations: [...MIGRATIONS, broken], log: quietLog }),
    ).toThrow(MigrationFailedError);
    // The store is exactly as before, and the code that wrote it still opens it.
    const reopened = openStore({ dataDir: temp.dataDir(), log: quietLog });
    try {
      expect(reopened.db.pragma('user_version', { simple: true })).toBe(N);
      expect(
        reopened.db.prepare("SELECT name FROM sqlite_master WHERE name = 'test_extra'").get(),
      ).toBeUndefined();
      expect(reopened.audit.verify()).toMatchObject({ ok: true, rows: 2 });
    } finally {
      reopened.close();
    }
  });

  it('refuses a file that is not a SQLite database and leaves it alone', () => {
    mkdirSync(temp.dataDir(), { recursive: true });
    const path = join(temp.dataDir(), 'osc.sqlite');
    writeFileSync(path, 'this is not a database, it is a shopping list'.repeat(200));
    const before = fileHash(path);
    expect(() => openStore({ dataDir: temp.dataDir(), log: quietLog })).toThrow(/not a database/);
    expect(fileHash(path)).toBe(before);
  });

  it('refuses a SQLite file that belongs to something else', () => {
    mkdirSync(temp.dataDir(), { recursive: true });
    const foreign = new Database(join(temp.dataDir(), 'osc.sqlite'));
    foreign.exec('CREATE TABLE recipes (name TEXT)');
    foreign.close();
    expect(() => openStore({ dataDir: temp.dataDir(), log: quietLog })).toThrow(StoreError);
    expect(() => openStore({ dataDir: temp.dataDir(), log: quietLog })).toThrow(
      /not a store written by this console/,
    );
  });
});
