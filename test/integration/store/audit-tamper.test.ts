import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../../main/store/open-store.js';
import { verifyAuditAt } from '../../../main/store/store-tasks.js';
import { quietLog, sampleEntries, steppingClock, useTempDataDir } from './temp-data-dir.js';

/**
 * `verify-audit` against each kind of tampering, naming the first broken row. Mutation testing found
 * the chain walk's checks (missing row, wrong prev_hash, content not matching its hash, a row that
 * differs from the head anchor, rows deleted from the end) unreached by the in-process tests: only
 * the CLI test, which runs the built `osc`, went there (test/mutation/SURVIVORS.md).
 */
const temp = useTempDataDir();

function seeded(rows: number): Database.Database {
  const store = openStore({ dataDir: temp.dataDir(), now: steppingClock(), log: quietLog });
  store.audit.appendMany(sampleEntries(rows));
  store.close();
  const db = new Database(join(temp.dataDir(), 'osc.sqlite'));
  db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
  return db;
}

function tampered(rows: number, change: (db: Database.Database) => void) {
  const db = seeded(rows);
  change(db);
  db.close();
  return verifyAuditAt(temp.dataDir());
}

const anchorFile = (): string => join(temp.dataDir(), 'audit-head.json');

describe('verify-audit names the first broken row', () => {
  it('passes an untouched chain', () => {
    expect(tampered(5, () => undefined)).toMatchObject({ ok: true, rows: 5, headSeq: 5 });
  });

  it('a row deleted from the middle', () => {
    expect(tampered(5, (db) => db.prepare('DELETE FROM audit_log WHERE seq = 3').run())).toEqual({
      ok: false,
      rows: 4,
      brokenSeq: 3,
      reason: expect.stringMatching(/^row #3 is missing \(#2 is followed by #4\)/) as string,
    });
  });

  it('the first row deleted', () => {
    expect(tampered(3, (db) => db.prepare('DELETE FROM audit_log WHERE seq = 1').run())).toMatchObject({
      ok: false,
      brokenSeq: 1,
      reason: expect.stringMatching(/^row #1 is missing \(the log starts at #2\)/) as string,
    });
  });

  it('a row whose content was changed', () => {
    expect(
      tampered(5, (db) => db.prepare("UPDATE audit_log SET actor = 'intern' WHERE seq = 2").run()),
    ).toMatchObject({
      ok: false,
      rows: 5,
      brokenSeq: 2,
      reason: 'its content does not match its hash: the row was edited',
    });
  });

  it('a row whose prev_hash was changed', () => {
    for (const seq of [1, 4]) {
      const result = tampered(5, (db) =>
        db.prepare("UPDATE audit_log SET prev_hash = 'x' WHERE seq = ?").run(seq),
      );
      const previous = seq === 1 ? 'the genesis hash' : `the hash of row #${seq - 1}`;
      expect(result).toMatchObject({
        ok: false,
        brokenSeq: seq,
        reason: expect.stringContaining(`its prev_hash does not match ${previous}`) as string,
      });
      rmSync(temp.dataDir(), { recursive: true, force: true });
    }
  });

  it('rows deleted from the end, caught by the head anchor', () => {
    expect(tampered(5, (db) => db.prepare('DELETE FROM audit_log WHERE seq > 3').run())).toMatchObject({
      ok: false,
      rows: 3,
      brokenSeq: 4,
      reason: expect.stringMatching(
        /^row #4 is missing: the head anchor records row #5 but the log ends at #3/,
      ) as string,
    });
  });

  it('a chain that differs from the anchored row, or an anchor at row 0 with a foreign hash', () => {
    const otherHash = 'f'.repeat(64);
    expect(
      tampered(4, () => writeFileSync(anchorFile(), JSON.stringify({ seq: 3, hash: otherHash }))),
    ).toMatchObject({
      ok: false,
      brokenSeq: 3,
      reason: expect.stringMatching(/^its hash differs from the head anchor/) as string,
    });
    rmSync(temp.dataDir(), { recursive: true, force: true });
    expect(
      tampered(2, () => writeFileSync(anchorFile(), JSON.stringify({ seq: 0, hash: otherHash }))),
    ).toMatchObject({
      ok: false,
      brokenSeq: 1,
      reason: expect.stringMatching(/^the head anchor names row #0/) as string,
    });
  });
});
