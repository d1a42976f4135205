import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startServeProcess, type ServeProcess } from '../../support/serve-process.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { ADMIN, OSC, callOperation, osc, signIn } from './osc-process.js';

/**
 * Issue 9, item 5: what `osc serve` and `osc verify-audit` do with a damaged or tampered data folder.
 * Every store here is made by a real `osc serve` (first administrator, sign-ins) and damaged on disk
 * between runs the way a disk fault, a crash or someone with a shell would.
 */

let temp: ReturnType<typeof makeTempDir> | undefined;
let server: ServeProcess | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
  temp?.cleanup();
  temp = undefined;
});

function dataDir(): string {
  temp ??= makeTempDir('osc-integrity-');
  return join(temp.dir, 'data');
}

/** A store made by a real console: the first administrator and two sign-ins, each audited. */
async function seededByServe(dir: string): Promise<void> {
  server = await startServeProcess(dir, [], { osc: OSC });
  expect((await callOperation(server, 'session.setupFirstAdmin', ADMIN)).status).toBe(200);
  expect((await signIn(server)).status).toBe(200);
  expect((await signIn(server)).status).toBe(200);
  await server.stop();
  server = undefined;
}

/** What `osc serve` prints when it refuses to start (the start helper rejects with its output). */
async function refusedStart(dir: string): Promise<string> {
  try {
    server = await startServeProcess(dir, [], { osc: OSC });
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`osc serve started on ${dir} but should have refused:\n${server.output()}`);
}

type AuditRow = { seq: number; actor: string; action: string; outcome: string; detail: string; hash: string };

function auditRows(dir: string): AuditRow[] {
  const db = new Database(join(dir, 'osc.sqlite'), { readonly: true });
  try {
    return db
      .prepare('SELECT seq, actor, action, outcome, detail, hash FROM audit_log ORDER BY seq')
      .all() as AuditRow[];
  } finally {
    db.close();
  }
}

/** The sqlite3 CLI an intruder would use: drops the append-only triggers, then deletes the tail. */
function deleteLastRows(dir: string, count: number): void {
  const db = new Database(join(dir, 'osc.sqlite'));
  try {
    db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
    db.prepare('DELETE FROM audit_log WHERE seq > (SELECT max(seq) FROM audit_log) - ?').run(count);
  } finally {
    db.close();
  }
}

function writeAnchor(dir: string, head: { seq: number; hash: string }): void {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'audit-head.json');
  rmSync(path, { force: true });
  const fd = openSync(path, 'w', 0o600);
  writeSync(fd, `${JSON.stringify(head)}\n`);
  closeSync(fd);
}

/** Overwrites every page of one table with garbage, as a failing disk or a torn copy would. */
function corruptTablePages(dir: string, table: string): void {
  const path = join(dir, 'osc.sqlite');
  const db = new Database(path);
  let pages: number[];
  let pageSize: number;
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    pageSize = db.pragma('page_size', { simple: true }) as number;
    pages = (db.prepare('SELECT pageno FROM dbstat WHERE name = ?').all(table) as { pageno: number }[]).map(
      (row) => row.pageno,
    );
  } finally {
    db.close();
  }
  expect(pages.length).toBeGreaterThan(0);
  const fd = openSync(path, 'r+');
  try {
    for (const page of pages) writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (page - 1) * pageSize);
  } finally {
    closeSync(fd);
  }
}

describe('osc serve refuses a damaged store', () => {
  it('corrupt pages: refused at start naming the newest backup; verify-audit and verify-store report the damage', async () => {
    const dir = dataDir();
    await seededByServe(dir);
    expect((await osc(['backup', '--data-dir', dir])).code).toBe(0);
    await new Promise((done) => setTimeout(done, 20)); // two backups, two different names
    expect((await osc(['backup', '--data-dir', dir])).code).toBe(0);
    const newest = readBackups(dir).at(-1)!;
    corruptTablePages(dir, 'operators');
    const before = readFileSync(join(dir, 'osc.sqlite'));

    const message = await refusedStart(dir);
    expect(message).toMatch(/serve exited with 2/);
    expect(message).toMatch(/osc: The store .*osc\.sqlite is damaged \(PRAGMA quick_check/);
    expect(message).toContain(join(dir, 'backups', newest));
    expect(readFileSync(join(dir, 'osc.sqlite')).equals(before)).toBe(true);

    const audit = await osc(['verify-audit', '--data-dir', dir]);
    expect(audit.code).toBe(1);
    expect(audit.stdout).not.toMatch(/audit log OK/);
    expect(audit.stdout).toMatch(/is damaged/);

    const store = await osc(['verify-store', '--data-dir', dir]);
    expect(store.code).toBe(1);
    expect(store.stdout).toMatch(/^store DAMAGED \(PRAGMA integrity_check: /);
    expect(store.stdout).toContain(join(dir, 'backups', newest));
  }, 60_000);

  it('verify-store passes an intact store', async () => {
    const dir = dataDir();
    await seededByServe(dir);
    const store = await osc(['verify-store', '--data-dir', dir]);
    expect(store).toMatchObject({ code: 0 });
    expect(store.stdout).toMatch(/^store OK \(PRAGMA integrity_check\)\naudit log OK: 3 rows/);
  }, 60_000);

  it('a zero-length osc.sqlite beside an audit anchor is refused and never re-created', async () => {
    const dir = dataDir();
    await seededByServe(dir);
    truncateSync(join(dir, 'osc.sqlite'), 0);
    rmSync(join(dir, 'osc.sqlite-wal'), { force: true });
    rmSync(join(dir, 'osc.sqlite-shm'), { force: true });

    const message = await refusedStart(dir);
    expect(message).toMatch(
      /osc: The store .*osc\.sqlite is empty, but this data folder has an audit anchor/,
    );
    expect(message).toMatch(/There is no backup in .*backups/);
    expect(statSync(join(dir, 'osc.sqlite')).size).toBe(0);
  }, 60_000);

  it('a missing osc.sqlite beside backups is refused naming the newest backup, and not created', async () => {
    const dir = dataDir();
    await seededByServe(dir);
    expect((await osc(['backup', '--data-dir', dir])).code).toBe(0);
    const newest = readBackups(dir).at(-1)!;
    for (const file of ['osc.sqlite', 'osc.sqlite-wal', 'osc.sqlite-shm', 'audit-head.json']) {
      rmSync(join(dir, file), { force: true });
    }

    const message = await refusedStart(dir);
    expect(message).toMatch(/osc: The store .*osc\.sqlite is missing, but this data folder has backups/);
    expect(message).toContain(join(dir, 'backups', newest));
    expect(existsSync(join(dir, 'osc.sqlite'))).toBe(false);
  }, 60_000);
});

describe('the audit anchor at start', () => {
  it('rows cut from the end and the anchor deleted: reported at start, recorded, and verify-audit keeps saying so after a sign-in', async () => {
    const dir = dataDir();
    await seededByServe(dir);
    deleteLastRows(dir, 1);
    rmSync(join(dir, 'audit-head.json'));

    server = await startServeProcess(dir, [], { osc: OSC });
    expect((await signIn(server)).status).toBe(200);
    await server.stop();
    expect(server.output()).toMatch(/the head anchor \(audit-head\.json\) is missing/);
    server = undefined;

    const rows = auditRows(dir);
    const reset = rows.find((row) => row.action === 'store.audit-anchor.reset');
    expect(reset).toMatchObject({ seq: 3, actor: 'store', outcome: 'error' });
    expect(JSON.parse(reset!.detail)).toMatchObject({ problem: 'missing', chainHead: { seq: 2 } });

    const verify = await osc(['verify-audit', '--data-dir', dir]);
    expect(verify.code).toBe(1);
    expect(verify.stdout).not.toMatch(/audit log OK/);
    expect(verify.stdout).toMatch(
      /^audit log BROKEN at row #3: the head anchor was missing when the console started .* rows deleted from the end before row #3 cannot be ruled out/,
    );
  }, 60_000);

  it('rows cut from the end under a kept anchor (rewound): reported at start, recorded, still reported by verify-audit', async () => {
    const dir = dataDir();
    await seededByServe(dir);
    deleteLastRows(dir, 2);

    server = await startServeProcess(dir, [], { osc: OSC });
    expect((await signIn(server)).status).toBe(200);
    await server.stop();
    expect(server.output()).toMatch(/the head anchor records row #3 but the log ends at #1/);
    server = undefined;

    const reset = auditRows(dir).find((row) => row.action === 'store.audit-anchor.reset');
    expect(reset).toMatchObject({ seq: 2, outcome: 'error' });
    expect(JSON.parse(reset!.detail)).toMatchObject({
      problem: 'rewound',
      anchor: { seq: 3 },
      chainHead: { seq: 1 },
    });
    const verify = await osc(['verify-audit', '--data-dir', dir]);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toMatch(/^audit log BROKEN at row #2: the head anchor was rewound/);
  }, 60_000);

  it('an anchor merely behind (a crash between commit and anchor write): verify-audit says OK, the next start repairs and records it', async () => {
    const dir = dataDir();
    await seededByServe(dir);
    const [first] = auditRows(dir);
    // The exact files a SIGKILL between the audit commit and the anchor rename leaves behind.
    writeAnchor(dir, { seq: first!.seq, hash: first!.hash });

    const before = await osc(['verify-audit', '--data-dir', dir]);
    expect(before.code).toBe(0);
    expect(before.stdout).toMatch(/^audit log OK: 3 rows, head #3 [0-9a-f]{12}\n/);
    expect(before.stdout).toMatch(
      /the head anchor is behind \(it records row #1, which is in the chain, and every later row chains from it\).*Not tampering/,
    );

    server = await startServeProcess(dir, [], { osc: OSC });
    await server.stop();
    expect(server.output()).toMatch(/audit head anchor was behind .* repaired/);
    server = undefined;
    const repaired = auditRows(dir).at(-1)!;
    expect(repaired).toMatchObject({ seq: 4, action: 'store.audit-anchor.repaired', outcome: 'ok' });
    expect(JSON.parse(repaired.detail)).toMatchObject({ anchor: { seq: 1 }, chainHead: { seq: 3 } });
    expect(JSON.parse(readFileSync(join(dir, 'audit-head.json'), 'utf8'))).toEqual({
      seq: 4,
      hash: repaired.hash,
    });

    const after = await osc(['verify-audit', '--data-dir', dir]);
    expect(after).toMatchObject({ code: 0 });
    expect(after.stdout).toBe(`audit log OK: 4 rows, head #4 ${repaired.hash.slice(0, 12)}\n`);
  }, 60_000);

  it('an anchor whose row is still there but with another hash is tampering, not "behind"', async () => {
    const dir = dataDir();
    await seededByServe(dir);
    writeAnchor(dir, { seq: 1, hash: 'f'.repeat(64) });
    const verify = await osc(['verify-audit', '--data-dir', dir]);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toMatch(/^audit log BROKEN at row #1: its hash differs from the head anchor/);
  }, 60_000);
});

function readBackups(dir: string): string[] {
  return readdirSync(join(dir, 'backups'))
    .filter((name) => name.endsWith('.sqlite'))
    .sort();
}
