import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { verifyAuditCommand } from '../../../main/cli/commands/verify-audit.js';
import { openStore } from '../../../main/store/open-store.js';
import { MIGRATIONS } from '../../../main/store/migrations/index.js';
import { auditRowHash } from '../../../main/store/audit/audit-hash.js';
import { quietLog, sampleEntries, useTempDataDir } from '../store/temp-data-dir.js';
import { captureOutput } from './cli-output.js';

const temp = useTempDataDir();
const ROWS = 10;

/** A real store with ten chained rows, closed again so only the file is left. */
function seededStore(): { dataDir: string; headHash: string } {
  const store = openStore({ dataDir: temp.dataDir(), log: quietLog });
  const written = store.audit.appendMany(sampleEntries(ROWS));
  store.close();
  return { dataDir: temp.dataDir(), headHash: written.at(-1)!.hash };
}

/** What an attacker with the sqlite3 CLI does: a second connection that drops the triggers first. */
function tamper(dataDir: string, sql: string, ...params: unknown[]): void {
  const db = new Database(join(dataDir, 'osc.sqlite'));
  try {
    db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
    if (params.length === 0) db.exec(sql);
    else db.prepare(sql).run(...params);
  } finally {
    db.close();
  }
}

async function verify(dataDir: string): Promise<{ code: number; output: string }> {
  const out = captureOutput();
  const code = await verifyAuditCommand({ dataDir }, out.stream);
  return { code, output: out.text() };
}

const CONTENT = 'at, actor, action, target, outcome, detail';

describe('osc verify-audit on an intact store', () => {
  it('prints the row count and the head, and exits 0', async () => {
    const { dataDir, headHash } = seededStore();
    expect(await verify(dataDir)).toEqual({
      code: 0,
      output: `audit log OK: ${ROWS} rows, head #${ROWS} ${headHash.slice(0, 12)}\n`,
    });
  });

  it('accepts an empty log', async () => {
    openStore({ dataDir: temp.dataDir(), log: quietLog }).close();
    expect(await verify(temp.dataDir())).toEqual({
      code: 0,
      output: 'audit log OK: 0 rows, head #0 000000000000\n',
    });
  });

  it('never changes the store it verifies', async () => {
    const { dataDir } = seededStore();
    const before = readFileSync(join(dataDir, 'osc.sqlite'));
    await verify(dataDir);
    expect(readFileSync(join(dataDir, 'osc.sqlite')).equals(before)).toBe(true);
  });
});

describe('osc verify-audit names the first broken row after tampering', () => {
  const cases: [string, (dataDir: string) => void, number, RegExp][] = [
    [
      'an edited detail',
      (d) => tamper(d, 'UPDATE audit_log SET detail = ? WHERE seq = 4', '{"n":4,"note":"harmless"}'),
      4,
      /content does not match its hash: the row was edited/,
    ],
    [
      'an edited actor',
      (d) => tamper(d, "UPDATE audit_log SET actor = 'intern' WHERE seq = 2"),
      2,
      /was edited/,
    ],
    [
      'an edited outcome',
      (d) => tamper(d, "UPDATE audit_log SET outcome = 'error' WHERE seq = 9"),
      9,
      /was edited/,
    ],
    [
      'a deleted middle row',
      (d) => tamper(d, 'DELETE FROM audit_log WHERE seq = 5'),
      5,
      /row #5 is missing \(#4 is followed by #6\)/,
    ],
    [
      'a deleted first row',
      (d) => tamper(d, 'DELETE FROM audit_log WHERE seq = 1'),
      1,
      /row #1 is missing \(the log starts at #2\)/,
    ],
    [
      'a deleted last row',
      (d) => tamper(d, 'DELETE FROM audit_log WHERE seq = ?', ROWS),
      ROWS,
      /head anchor records row #10 but the log ends at #9 \(rows were deleted from the end\)/,
    ],
    ['every row deleted', (d) => tamper(d, 'DELETE FROM audit_log'), 1, /log ends at #0/],
    [
      "two rows' contents swapped (hashes and all)",
      (d) =>
        tamper(
          d,
          `UPDATE audit_log SET (${CONTENT}, prev_hash, hash) =
             (SELECT ${CONTENT}, prev_hash, hash FROM audit_log o WHERE o.seq = 10 - audit_log.seq)
           WHERE seq IN (3, 7)`,
        ),
      3,
      /prev_hash does not match the hash of row #2/,
    ],
    [
      "two rows' contents swapped (hashes left in place)",
      (d) =>
        tamper(
          d,
          `UPDATE audit_log SET (${CONTENT}) = (SELECT ${CONTENT} FROM audit_log o WHERE o.seq = 10 - audit_log.seq)
           WHERE seq IN (3, 7)`,
        ),
      3,
      /was edited/,
    ],
    [
      'two rows reordered by renumbering',
      (d) =>
        tamper(
          d,
          'UPDATE audit_log SET seq = 100 WHERE seq = 6; UPDATE audit_log SET seq = 6 WHERE seq = 8; ' +
            'UPDATE audit_log SET seq = 8 WHERE seq = 100;',
        ),
      6,
      /prev_hash does not match/,
    ],
    [
      'a forged row appended with a made-up hash',
      (d) =>
        tamper(
          d,
          `INSERT INTO audit_log (seq, at, actor, action, target, outcome, detail, prev_hash, hash)
           SELECT 11, at, 'ghost', action, target, 'ok', '{}', hash, ? FROM audit_log WHERE seq = 10`,
          'e'.repeat(64),
        ),
      11,
      /was edited/,
    ],
  ];

  it.each(cases)('%s', async (_label, attack, brokenSeq, reason) => {
    const { dataDir } = seededStore();
    attack(dataDir);
    const { code, output } = await verify(dataDir);
    expect(code).toBe(1);
    expect(output).toMatch(new RegExp(`^audit log BROKEN at row #${brokenSeq}: `));
    expect(output).toMatch(reason);
  });

  it('a rewritten last row with a recomputed hash is caught by the head anchor', async () => {
    const { dataDir } = seededStore();
    const db = new Database(join(dataDir, 'osc.sqlite'));
    const row = db.prepare('SELECT * FROM audit_log WHERE seq = ?').get(ROWS) as Parameters<
      typeof auditRowHash
    >[1] & {
      prev_hash: string;
    };
    db.close();
    const forged = { ...row, actor: 'intern' };
    tamper(
      dataDir,
      'UPDATE audit_log SET actor = ?, hash = ? WHERE seq = ?',
      'intern',
      auditRowHash(row.prev_hash, forged),
      ROWS,
    );
    const { code, output } = await verify(dataDir);
    expect(code).toBe(1);
    expect(output).toMatch(/^audit log BROKEN at row #10: its hash differs from the head anchor/);
  });

  it('a deleted head anchor is reported, since tail deletions could no longer be seen', async () => {
    const { dataDir } = seededStore();
    rmSync(join(dataDir, 'audit-head.json'));
    const { code, output } = await verify(dataDir);
    expect(code).toBe(1);
    expect(output).toMatch(/^audit log BROKEN at row #11: the head anchor \(audit-head.json\) is missing/);
  });

  it('a corrupted head anchor is reported as unreadable', async () => {
    const { dataDir } = seededStore();
    writeFileSync(join(dataDir, 'audit-head.json'), '{"seq":"ten"}');
    const { code, output } = await verify(dataDir);
    expect(code).toBe(1);
    expect(output).toMatch(
      /head anchor \(audit-head.json\) is unreadable: seq is not a non-negative integer/,
    );
  });
});

describe('osc verify-audit when the store cannot be opened (exit 2)', () => {
  it('no store in the data dir', async () => {
    const { code, output } = await verify(join(temp.root(), 'empty'));
    expect(code).toBe(2);
    expect(output).toMatch(
      /^cannot open the store: There is no store at .*osc\.sqlite: check --data-dir\.\n$/,
    );
  });

  it('a file that is not a database', async () => {
    mkdirSync(temp.dataDir(), { recursive: true });
    writeFileSync(join(temp.dataDir(), 'osc.sqlite'), Buffer.alloc(8192, 7));
    const { code, output } = await verify(temp.dataDir());
    expect(code).toBe(2);
    expect(output).toMatch(/^cannot open the store: Cannot read .*not a database/);
  });

  it('a store from a newer console', async () => {
    const extra = {
      version: MIGRATIONS.length + 1,
      name: 'future',
      sql: 'CREATE TABLE future (x TEXT) STRICT;',
    };
    openStore({ dataDir: temp.dataDir(), migrations: [...MIGRATIONS, extra], log: quietLog }).close();
    const { code, output } = await verify(temp.dataDir());
    expect(code).toBe(2);
    expect(output).toMatch(/only knows up to/);
  });
});
