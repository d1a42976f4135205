import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../../main/store/open-store.js';
import { StoreError } from '../../../main/store/store-errors.js';
import { backupStoreAt, checkIntegrityAt, verifyAuditAt } from '../../../main/store/store-tasks.js';
import { StoreDamagedError } from '../../../main/store/integrity/refuse-damaged-store.js';
import { scheduleIntegrityChecks } from '../../../main/store/integrity/integrity-schedule.js';
import type { IntegrityReport } from '../../../main/store/integrity/integrity-check.js';
import { inspectAnchorAtStart } from '../../../main/store/audit/anchor-at-start.js';
import { StoreWorkerClient } from '../../../main/store/worker/store-worker-client.js';
import { quietLog, sampleEntries, steppingClock, useTempDataDir } from './temp-data-dir.js';

const temp = useTempDataDir();
const storeFile = (): string => join(temp.dataDir(), 'osc.sqlite');
const anchorFile = (): string => join(temp.dataDir(), 'audit-head.json');

function seed(rows: number): void {
  const store = openStore({ dataDir: temp.dataDir(), now: steppingClock(), log: quietLog });
  store.audit.appendMany(sampleEntries(rows));
  store.close();
}

/** Garbage over every page of the operators table, after folding the WAL into the file. */
function corruptOperatorsPages(): void {
  const db = new Database(storeFile());
  db.prepare(
    "INSERT INTO operators (username, display_name, password_hash, roles, created_at, updated_at) VALUES ('a', 'A', 'x', 'admin', 'now', 'now')",
  ).run();
  db.pragma('wal_checkpoint(TRUNCATE)');
  const size = db.pragma('page_size', { simple: true }) as number;
  const pages = db.prepare("SELECT pageno FROM dbstat WHERE name = 'operators'").all() as {
    pageno: number;
  }[];
  db.close();
  const fd = openSync(storeFile(), 'r+');
  for (const { pageno } of pages) writeSync(fd, Buffer.alloc(size, 0x5a), 0, size, (pageno - 1) * size);
  closeSync(fd);
}

function logCollector(): { log: { warn(fields: unknown, message: string): void }; messages: string[] } {
  const messages: string[] = [];
  return { log: { warn: (_fields, message) => void messages.push(message) }, messages };
}

describe('a damaged store is refused at start', () => {
  it('quick_check failure: StoreDamagedError naming the newest backup, file unchanged', async () => {
    seed(5);
    await backupStoreAt(temp.dataDir(), 'first', new Date('2026-01-01T00:00:00Z'));
    const newest = await backupStoreAt(temp.dataDir(), 'second', new Date('2026-02-01T00:00:00Z'));
    await backupStoreAt(temp.dataDir(), 'older', new Date('2025-12-01T00:00:00Z'));
    corruptOperatorsPages();
    const before = readFileSync(storeFile());
    let refused: unknown;
    try {
      openStore({ dataDir: temp.dataDir(), log: quietLog });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(StoreDamagedError);
    expect((refused as StoreError).code).toBe('store-damaged');
    expect((refused as Error).message).toMatch(/is damaged \(PRAGMA quick_check: /);
    expect((refused as Error).message).toContain(`The newest backup is ${newest.path}`);
    expect(readFileSync(storeFile()).equals(before)).toBe(true);
    expect(() => verifyAuditAt(temp.dataDir())).toThrow(StoreDamagedError);
    expect(checkIntegrityAt(temp.dataDir(), 'full')).toMatchObject({ ok: false, mode: 'full' });
  });

  it('the store worker runs the full check off the calling thread', async () => {
    seed(3);
    const client = new StoreWorkerClient();
    try {
      expect(await client.checkIntegrity(temp.dataDir(), 'full')).toEqual({ ok: true, mode: 'full' });
      corruptOperatorsPages();
      const report = await client.checkIntegrity(temp.dataDir(), 'full');
      expect(report.ok).toBe(false);
    } finally {
      await client.close();
    }
  });
});

describe('a lost store is refused, never re-created', () => {
  it('zero bytes beside an anchor', () => {
    seed(2);
    writeFileSync(storeFile(), '');
    rmSync(`${storeFile()}-wal`, { force: true });
    expect(() => openStore({ dataDir: temp.dataDir(), log: quietLog })).toThrow(
      /is empty, but this data folder has an audit anchor \(audit-head\.json\): .*There is no backup/,
    );
    expect(statSync(storeFile()).size).toBe(0);
  });

  it('missing beside a backup (even without an anchor)', async () => {
    seed(2);
    const backup = await backupStoreAt(temp.dataDir(), 'manual');
    for (const file of [storeFile(), `${storeFile()}-wal`, `${storeFile()}-shm`, anchorFile()]) {
      rmSync(file, { force: true });
    }
    expect(() => openStore({ dataDir: temp.dataDir(), log: quietLog })).toThrow(
      new RegExp(`is missing, but this data folder has backups: .*The newest backup is ${backup.path}`),
    );
    expect(existsSync(storeFile())).toBe(false);
  });

  it('an empty folder, or a zero-byte file with nothing beside it, still becomes a new store', () => {
    openStore({ dataDir: temp.dataDir(), log: quietLog }).close();
    rmSync(storeFile());
    mkdirSync(temp.dataDir(), { recursive: true });
    writeFileSync(storeFile(), '');
    const store = openStore({ dataDir: temp.dataDir(), log: quietLog });
    store.close();
    expect(statSync(storeFile()).size).toBeGreaterThan(0);
  });
});

describe('the head anchor at start', () => {
  it('behind (a row of the chain, the tail chaining from it): repaired and recorded as such', () => {
    seed(4);
    const db = new Database(storeFile(), { readonly: true });
    const second = db.prepare('SELECT seq, hash FROM audit_log WHERE seq = 2').get() as {
      seq: number;
      hash: string;
    };
    db.close();
    writeFileSync(anchorFile(), JSON.stringify(second));
    const { log, messages } = logCollector();
    const store = openStore({ dataDir: temp.dataDir(), log });
    try {
      const [repair] = store.audit.list({ limit: 1 }).entries;
      expect(repair).toMatchObject({
        seq: 5,
        actor: 'store',
        action: 'store.audit-anchor.repaired',
        outcome: 'ok',
      });
      expect(JSON.parse(repair!.detail)).toEqual({
        anchor: second,
        chainHead: { seq: 4, hash: expect.any(String) as string },
        rowsBehind: 2,
      });
      expect(messages).toEqual([
        expect.stringMatching(/anchor was behind .* repaired and recorded as row #5/),
      ]);
      expect(store.audit.verify()).toMatchObject({ ok: true, rows: 5 });
    } finally {
      store.close();
    }
  });

  it('a tail that does not chain from the anchored row is "rewritten", not behind', () => {
    seed(4);
    const db = new Database(storeFile());
    const second = db.prepare('SELECT seq, hash FROM audit_log WHERE seq = 2').get() as {
      seq: number;
      hash: string;
    };
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare("UPDATE audit_log SET actor = 'intern' WHERE seq = 3").run();
    // Rows before the anchored one are verify-audit's to walk; at start only the tail after it counts.
    expect(inspectAnchorAtStart(db, anchorFile())).toEqual({ kind: 'in-step' });
    writeFileSync(anchorFile(), JSON.stringify(second));
    expect(inspectAnchorAtStart(db, anchorFile())).toMatchObject({ kind: 'lost', problem: 'rewritten' });
    db.close();
  });

  it('an unreadable anchor is recorded as a reset, and verify reports it from then on', () => {
    seed(3);
    writeFileSync(anchorFile(), 'garbage');
    const { log, messages } = logCollector();
    openStore({ dataDir: temp.dataDir(), log }).close();
    expect(messages[0]).toMatch(/unreadable: not valid JSON; recording this in the audit log/);
    expect(verifyAuditAt(temp.dataDir())).toMatchObject({
      ok: false,
      brokenSeq: 4,
      reason: expect.stringMatching(/^the head anchor was unreadable when the console started/) as string,
    });
    // Opening again changes nothing more: the reset is recorded once.
    openStore({ dataDir: temp.dataDir(), log: quietLog }).close();
    expect(verifyAuditAt(temp.dataDir())).toMatchObject({ rows: 4, brokenSeq: 4 });
  });

  it('a new store (no rows, no anchor) records nothing', () => {
    const store = openStore({ dataDir: temp.dataDir(), log: quietLog });
    try {
      expect(store.audit.list({ limit: 5 }).entries).toEqual([]);
      expect(existsSync(anchorFile())).toBe(false);
    } finally {
      store.close();
    }
  });
});

describe('the periodic integrity check', () => {
  it('reports each finished check, never stacks a slow one, and stops', async () => {
    let calls = 0;
    let release: (() => void) | null = null;
    const reports: IntegrityReport[] = [];
    const schedule = scheduleIntegrityChecks({
      everyMs: 5,
      check: () => {
        calls += 1;
        return new Promise((done) => (release = () => done({ ok: true, mode: 'full' })));
      },
      onReport: (report) => reports.push(report),
      onError: () => undefined,
    });
    await new Promise((done) => setTimeout(done, 40));
    expect(calls).toBe(1); // the first check is still running
    release!();
    await new Promise((done) => setTimeout(done, 40));
    schedule.stop();
    const after = calls;
    expect(reports.length).toBeGreaterThanOrEqual(1);
    await new Promise((done) => setTimeout(done, 30));
    expect(calls).toBe(after);
  });
});
