import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../../main/store/open-store.js';
import { verifyAuditAt } from '../../../main/store/store-tasks.js';
import { backupAnchorPathFor } from '../../../main/store/backup/backup-location.js';
import { restoreBackup, RestoreRefusedError } from '../../../main/store/backup/restore-backup.js';
import { makeTempDir } from '../../support/temp-dir.js';

const quiet = { log: { warn: () => undefined } };
const AT = new Date('2026-12-02T10:00:00.000Z');

function rows(count: number, from: number) {
  return Array.from({ length: count }, (_, i) => ({
    actor: 'admin',
    action: 'connections.update',
    target: `con-${from + i}`,
    outcome: 'ok' as const,
    detail: { n: from + i, note: 'x'.repeat(200) },
  }));
}

const digest = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('restoring a backup', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let dataDir: string;
  let backup: string;
  beforeEach(async () => {
    temp = makeTempDir('osc-restore-');
    dataDir = join(temp.dir, 'data');
    const store = openStore({ dataDir, ...quiet });
    store.audit.appendMany(rows(300, 1));
    backup = (await store.backup('cli')).path;
    store.audit.appendMany(rows(5, 301)); // the live store moved on after the backup
    store.close();
  });
  afterEach(() => temp.cleanup());

  /** A copy of the good backup (and its anchor) under another name, changed by `damage`. */
  function copyOfBackup(name: string, damage: (path: string) => void): string {
    const path = join(temp.dir, `${name}.sqlite`);
    copyFileSync(backup, path);
    copyFileSync(backupAnchorPathFor(backup), backupAnchorPathFor(path));
    damage(path);
    return path;
  }

  function expectRefused(backupPath: string, code: string, message: RegExp): void {
    const store = join(dataDir, 'osc.sqlite');
    const anchor = join(dataDir, 'audit-head.json');
    const before = [digest(store), digest(anchor)];
    let refusal: unknown;
    try {
      restoreBackup({ backupPath, dataDir, at: AT });
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(RestoreRefusedError);
    expect((refusal as RestoreRefusedError).code).toBe(code);
    expect((refusal as Error).message).toMatch(message);
    expect((refusal as Error).message).toMatch(/Nothing was changed\.$/);
    // The current store, its anchor and the folder are exactly as they were.
    expect([digest(store), digest(anchor)]).toEqual(before);
    expect(readdirSync(dataDir).sort()).toEqual(['audit-head.json', 'backups', 'osc.sqlite']);
    expect(verifyAuditAt(dataDir)).toMatchObject({ ok: true, rows: 305 });
  }

  it('refuses a backup with flipped bytes and leaves the current store unchanged', () => {
    const flipped = copyOfBackup('flipped', (path) => {
      const db = new Database(path, { readonly: true });
      const { rootpage } = db
        .prepare<[], { rootpage: number }>("SELECT rootpage FROM sqlite_master WHERE name = 'audit_log'")
        .get() as { rootpage: number };
      db.close();
      const bytes = readFileSync(path);
      const pageSize = bytes.readUInt16BE(16);
      // The audit table's root page (an interior page over 300 rows): scramble its cell pointers.
      const start = (rootpage - 1) * pageSize + 12;
      for (let i = start; i < start + 64; i += 1) bytes[i] = (bytes[i] ?? 0) ^ 0x5a;
      writeFileSync(path, bytes);
    });
    expectRefused(flipped, 'backup-damaged', /is damaged \(PRAGMA integrity_check: /);
  });

  it('refuses a backup whose audit row was edited, naming the row', () => {
    const edited = copyOfBackup('edited', (path) => {
      const db = new Database(path);
      db.exec('DROP TRIGGER audit_log_no_update');
      db.prepare("UPDATE audit_log SET target = 'con-forged' WHERE seq = 42").run();
      db.close();
    });
    expectRefused(edited, 'backup-audit-broken', /audit log of .* is BROKEN at row #42: .*edited/);
  });

  it('refuses while a console has the store open', () => {
    const running = openStore({ dataDir, ...quiet });
    try {
      expect(() => restoreBackup({ backupPath: backup, dataDir, at: AT })).toThrow(
        /open \(a console is running/,
      );
    } finally {
      running.close();
    }
    expect(verifyAuditAt(dataDir)).toMatchObject({ ok: true, rows: 305 });
  });

  it('restores a good backup, keeps the replaced store, and the console opens the restored one', () => {
    const replacedDigest = digest(join(dataDir, 'osc.sqlite'));
    const result = restoreBackup({ backupPath: backup, dataDir, at: AT });
    expect(result).toMatchObject({ restored: backup, auditRows: 300, headSeq: 300 });
    expect(result.replaced?.store).toBe(join(dataDir, 'replaced', 'osc-2026-12-02T10-00-00.000Z.sqlite'));
    expect(digest(result.replaced?.store ?? '')).toBe(replacedDigest);
    expect(existsSync(result.replaced?.anchor ?? '')).toBe(true);
    expect(readdirSync(dataDir).filter((name) => name.startsWith('.restore'))).toEqual([]);
    expect(verifyAuditAt(dataDir)).toMatchObject({ ok: true, rows: 300 });
    const store = openStore({ dataDir, ...quiet });
    try {
      expect(store.audit.verify()).toMatchObject({ ok: true, rows: 300 });
      expect(store.audit.append(rows(1, 999)[0] as never).seq).toBe(301);
    } finally {
      store.close();
    }
  });
});
