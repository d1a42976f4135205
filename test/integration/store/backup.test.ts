import { copyFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../../main/store/open-store.js';
import { backupStoreAt, verifyAuditAt } from '../../../main/store/store-tasks.js';
import { StoreError } from '../../../main/store/store-errors.js';
import { quietLog, sampleEntries, useTempDataDir } from './temp-data-dir.js';

const temp = useTempDataDir();
const open = (now?: () => Date): ReturnType<typeof openStore> =>
  openStore({ dataDir: temp.dataDir(), log: quietLog, ...(now ? { now } : {}) });

/** Restores a backup the documented way: the .sqlite and its .audit-head.json, side by side. */
function restoreInto(backupPath: string, dataDir: string): void {
  openStore({ dataDir, log: quietLog }).close(); // creates the folder
  copyFileSync(backupPath, join(dataDir, 'osc.sqlite'));
  copyFileSync(backupPath.replace(/\.sqlite$/, '.audit-head.json'), join(dataDir, 'audit-head.json'));
}

describe('store.backup', () => {
  it('writes <dataDir>/backups/osc-<time>-<reason>.sqlite that opens and verifies', async () => {
    const store = open(() => new Date(Date.UTC(2025, 4, 6, 7, 8, 9, 10)));
    try {
      store.audit.appendMany(sampleEntries(25));
      const result = await store.backup('manual');
      expect(result.path).toBe(join(temp.dataDir(), 'backups', 'osc-2025-05-06T07-08-09.010Z-manual.sqlite'));
      expect(result.bytes).toBe(statSync(result.path).size);
      expect(result.bytes).toBeGreaterThan(0);
      if (process.platform !== 'win32') expect(statSync(result.path).mode & 0o777).toBe(0o600);
      // One self-contained file: no -wal to carry along, and no leftover .partial.
      expect(readdirSync(join(temp.dataDir(), 'backups')).sort()).toEqual([
        'osc-2025-05-06T07-08-09.010Z-manual.audit-head.json',
        'osc-2025-05-06T07-08-09.010Z-manual.sqlite',
      ]);

      const restored = join(temp.root(), 'restored');
      restoreInto(result.path, restored);
      expect(verifyAuditAt(restored)).toMatchObject({ ok: true, rows: 25, headSeq: 25 });
      const reopened = openStore({ dataDir: restored, log: quietLog });
      try {
        expect(reopened.audit.list({ limit: 1 }).entries[0]?.seq).toBe(25);
      } finally {
        reopened.close();
      }
    } finally {
      store.close();
    }
  });

  it('gives two backups in the same millisecond different names', async () => {
    const store = open(() => new Date(Date.UTC(2025, 0, 1)));
    try {
      const a = await store.backup('manual');
      const b = await store.backup('manual');
      expect(a.path).not.toBe(b.path);
      expect(b.path).toMatch(/-manual-1\.sqlite$/);
    } finally {
      store.close();
    }
  });

  it('backs up while another connection keeps appending, and the copy is a consistent chain', async () => {
    const store = open();
    const writer = open();
    try {
      store.audit.appendMany(sampleEntries(2000));
      const pending = store.backup('busy');
      for (let i = 0; i < 20; i += 1) writer.audit.appendMany(sampleEntries(10));
      const result = await pending;
      const copy = new Database(result.path, { readonly: true });
      const rows = (copy.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
      copy.close();
      expect(rows).toBeGreaterThanOrEqual(2000);
      const restored = join(temp.root(), 'restored');
      restoreInto(result.path, restored);
      expect(verifyAuditAt(restored)).toMatchObject({ ok: true, rows });
    } finally {
      store.close();
      writer.close();
    }
  });

  it.each(['', 'Manual', '../escape', 'a/b', 'a.b', '-lead', 'x'.repeat(49), 'sp ace'])(
    'refuses the reason %j before writing anything',
    async (reason) => {
      const store = open();
      try {
        await expect(store.backup(reason)).rejects.toThrow(StoreError);
        expect(existsSync(join(temp.dataDir(), 'backups'))).toBe(false);
      } finally {
        store.close();
      }
    },
  );

  it('fails without leaving a .partial file when the target cannot be written', async () => {
    const store = open();
    try {
      store.audit.appendMany(sampleEntries(3));
      store.close();
      // A closed connection cannot be backed up: the failure must surface, not a half file.
      await expect(store.backup('manual')).rejects.toThrow();
      const folder = join(temp.dataDir(), 'backups');
      const left = existsSync(folder) ? readdirSync(folder) : [];
      expect(left.filter((name) => name.endsWith('.partial') || name.endsWith('.sqlite'))).toEqual([]);
    } finally {
      store.close();
    }
  });
});

describe('backupStoreAt (read-only, for the CLI and the worker)', () => {
  it('backs up a store it does not own and refuses a missing one', async () => {
    const store = open();
    store.audit.appendMany(sampleEntries(4));
    try {
      const result = await backupStoreAt(temp.dataDir(), 'cli');
      expect(result.path).toMatch(/-cli\.sqlite$/);
    } finally {
      store.close();
    }
    await expect(backupStoreAt(join(temp.root(), 'nowhere'), 'cli')).rejects.toThrow(/There is no store at/);
    expect(existsSync(join(temp.root(), 'nowhere'))).toBe(false);
  });
});
