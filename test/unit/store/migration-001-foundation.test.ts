import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migration001Foundation } from '../../../main/store/migrations/001-foundation.js';
import { applyMigrations } from '../../../main/store/migrations/apply-migrations.js';

interface Column {
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
  pk: number;
}

let db: Database.Database;
beforeEach(() => {
  db = new Database(':memory:');
  applyMigrations(db, [migration001Foundation], '2025-01-01T00:00:00.000Z');
});
afterEach(() => db.close());

const columns = (table: string): Column[] =>
  db.prepare(`SELECT * FROM pragma_table_info(?)`).all(table) as Column[];
const shape = (table: string): string[] =>
  columns(table).map((c) => `${c.name} ${c.type}${c.notnull ? ' NOT NULL' : ''}${c.pk ? ' PK' : ''}`);

describe('migration 001-foundation', () => {
  it('is version 1 and creates exactly the foundation tables, all STRICT', () => {
    expect(migration001Foundation.version).toBe(1);
    const tables = db
      .prepare(
        "SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%'",
      )
      .all() as { name: string; strict: number }[];
    expect(tables.map((t) => t.name).sort()).toEqual([
      'audit_log',
      'connections',
      'operators',
      'schema_migrations',
      'settings',
    ]);
    for (const table of tables) expect(table.strict, table.name).toBe(1);
  });

  // STRICT tables make a TEXT PRIMARY KEY NOT NULL too (plain SQLite would allow NULL keys).
  it('operators has the agreed columns', () => {
    expect(shape('operators')).toEqual([
      'username TEXT NOT NULL PK',
      'display_name TEXT NOT NULL',
      'password_hash TEXT NOT NULL',
      'roles TEXT NOT NULL',
      'disabled INTEGER NOT NULL',
      'created_at TEXT NOT NULL',
      'updated_at TEXT NOT NULL',
      'last_login_at TEXT',
    ]);
    expect(columns('operators').find((c) => c.name === 'disabled')?.dflt_value).toBe('0');
  });

  it('connections has the agreed columns', () => {
    expect(shape('connections')).toEqual([
      'id TEXT NOT NULL PK',
      'name TEXT NOT NULL',
      'kind TEXT NOT NULL',
      'settings TEXT NOT NULL',
      'secret_changed_at TEXT',
      'created_at TEXT NOT NULL',
      'updated_at TEXT NOT NULL',
      'created_by TEXT NOT NULL',
    ]);
  });

  it('audit_log and settings have the agreed columns', () => {
    expect(shape('audit_log')).toEqual([
      'seq INTEGER PK',
      'at TEXT NOT NULL',
      'actor TEXT NOT NULL',
      'action TEXT NOT NULL',
      'target TEXT',
      'outcome TEXT NOT NULL',
      'detail TEXT NOT NULL',
      'prev_hash TEXT NOT NULL',
      'hash TEXT NOT NULL',
    ]);
    expect(shape('settings')).toEqual(['key TEXT NOT NULL PK', 'value TEXT NOT NULL']);
  });

  function operator(disabled: unknown): void {
    db.prepare(
      `INSERT INTO operators (username, display_name, password_hash, roles, disabled, created_at, updated_at)
       VALUES ('u' || abs(random()), 'U', 'h', '["viewer"]', ?, 't', 't')`,
    ).run(disabled);
  }

  it('operators.disabled accepts only 0 and 1, and STRICT refuses text in it', () => {
    operator(0);
    operator(1);
    expect(() => operator(2)).toThrow(/CHECK constraint failed/);
    expect(() => operator('yes')).toThrow(/cannot store TEXT value in INTEGER column/);
  });

  it('connections.kind is a closed set and names are unique', () => {
    const insert = db.prepare(
      `INSERT INTO connections (id, name, kind, settings, created_at, updated_at, created_by)
       VALUES (?, ?, ?, '{}', 't', 't', 'admin')`,
    );
    for (const kind of ['odoo', 'fhir', 'webhook-in', 'webhook-out', 'csv-drop'])
      insert.run(kind, kind, kind);
    expect(() => insert.run('x', 'x', 'ftp')).toThrow(/CHECK constraint failed/);
    expect(() => insert.run('y', 'odoo', 'odoo')).toThrow(/UNIQUE constraint failed: connections.name/);
  });

  it('audit_log checks its outcome and refuses every UPDATE and DELETE', () => {
    const insert = db.prepare(
      `INSERT INTO audit_log (seq, at, actor, action, target, outcome, detail, prev_hash, hash)
       VALUES (?, 't', 'a', 'x', NULL, ?, '{}', 'p', 'h')`,
    );
    insert.run(1, 'ok');
    insert.run(2, 'denied');
    insert.run(3, 'error');
    expect(() => insert.run(4, 'maybe')).toThrow(/CHECK constraint failed/);
    // seq is the rowid alias: a non-integer is refused outright.
    expect(() => insert.run('four', 'ok')).toThrow(/datatype mismatch/);
    expect(() => db.prepare('UPDATE audit_log SET detail = \'{"x":1}\' WHERE seq = 1').run()).toThrow(
      'audit_log is append-only',
    );
    expect(() => db.prepare('DELETE FROM audit_log WHERE seq = 3').run()).toThrow('audit_log is append-only');
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow('audit_log is append-only');
    expect((db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n).toBe(3);
  });

  it('indexes the audit filters by action and by actor', () => {
    const indexes = db.prepare('SELECT name FROM pragma_index_list(?)').all('audit_log') as {
      name: string;
    }[];
    expect(indexes.map((i) => i.name).sort()).toEqual(['audit_log_by_action', 'audit_log_by_actor']);
    const plan = db
      .prepare("EXPLAIN QUERY PLAN SELECT seq FROM audit_log WHERE action = 'x' ORDER BY seq DESC LIMIT 5")
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/audit_log_by_action/);
  });

  it('settings is a plain key/value table', () => {
    db.prepare("INSERT INTO settings (key, value) VALUES ('first-run', 'done')").run();
    expect(() => db.prepare("INSERT INTO settings (key, value) VALUES ('first-run', 'again')").run()).toThrow(
      /UNIQUE|PRIMARY KEY/,
    );
  });
});
