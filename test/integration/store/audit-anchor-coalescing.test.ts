import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openStore } from '../../../main/store/open-store.js';
import { verifyAuditAt } from '../../../main/store/store-tasks.js';
import { ANCHOR_REPAIRED_ACTION } from '../../../main/store/audit/anchor-at-start.js';
import { createAnchorWriter } from '../../../main/store/audit/coalesced-anchor.js';
import { quietLog, sampleEntries, steppingClock, useTempDataDir } from './temp-data-dir.js';

const temp = useTempDataDir();
const open = (): ReturnType<typeof openStore> =>
  openStore({ dataDir: temp.dataDir(), now: steppingClock(), log: quietLog });
/** What someone with write access to the file does first: remove the append-only triggers. */
const cut = (store: ReturnType<typeof openStore>, where: string): void => {
  store.db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
  store.db.prepare(`DELETE FROM audit_log WHERE ${where}`).run();
};
const anchorAt = (): { seq: number; hash: string } =>
  JSON.parse(readFileSync(join(temp.dataDir(), 'audit-head.json'), 'utf8')) as { seq: number; hash: string };

afterEach(() => {
  vi.useRealTimers();
});

describe('coalesced head anchor', () => {
  it('holds back the anchor of batches committed within the lag, and writes it once the lag has passed', () => {
    let now = 1_000;
    const errors: string[] = [];
    const path = join(temp.root(), 'anchor.json');
    vi.useFakeTimers();
    const writer = createAnchorWriter({ path, clock: () => now, onError: (e) => errors.push(e.message) });
    writer.committed({ seq: 1, hash: 'a'.repeat(64) }); // nothing written for a while: now
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ seq: 1, hash: 'a'.repeat(64) });
    now += 10;
    writer.committed({ seq: 2, hash: 'b'.repeat(64) });
    writer.committed({ seq: 3, hash: 'c'.repeat(64) });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ seq: 1 }); // coalesced
    now += 200;
    vi.runAllTimers(); // the lag has passed: the newest head is written, once
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ seq: 3, hash: 'c'.repeat(64) });
    expect(errors).toEqual([]);
  });

  it('still detects a tail cut after a coalesced write: the store flushes the anchor on close', () => {
    vi.useFakeTimers(); // the lag timer never fires by itself: only close() can write the anchor
    const store = open();
    store.audit.appendMany(sampleEntries(3)); // first batch: anchored at once
    const written = store.audit.appendMany(sampleEntries(4, 4)); // within the lag: held back
    expect(anchorAt().seq).toBe(3);
    cut(store, 'seq > 5'); // cut rows #6 and #7
    store.close();
    expect(anchorAt()).toEqual({ seq: 7, hash: written[3]!.hash });
    const result = verifyAuditAt(temp.dataDir());
    expect(result).toMatchObject({ ok: false, brokenSeq: 6 });
    expect(result.ok ? '' : result.reason).toMatch(/rows were deleted from the end/);
  });

  it('verify() on the appending connection flushes its own anchor first, so a cut made since is caught', () => {
    vi.useFakeTimers();
    const store = open();
    try {
      store.audit.appendMany(sampleEntries(2));
      store.audit.appendMany(sampleEntries(2, 3)); // held back
      cut(store, 'seq = 4');
      expect(store.audit.verify()).toMatchObject({ ok: false, brokenSeq: 4 });
    } finally {
      store.close();
    }
  });

  it('reports a crash between commit and anchor flush as "anchor behind", not tampering, and repairs it at start', () => {
    vi.useFakeTimers();
    const crashed = open();
    const [, second] = crashed.audit.appendMany(sampleEntries(2));
    crashed.audit.appendMany(sampleEntries(3, 3)); // committed, anchor held back
    crashed.db.close(); // the process dies: no store.close(), so no flush
    expect(anchorAt()).toEqual({ seq: 2, hash: second!.hash });
    expect(verifyAuditAt(temp.dataDir())).toMatchObject({
      ok: true,
      rows: 5,
      anchorBehind: { seq: 2, hash: second!.hash },
    });
    vi.useRealTimers();
    const restarted = open();
    try {
      const repaired = restarted.db
        .prepare('SELECT seq, detail FROM audit_log WHERE action = ?')
        .get(ANCHOR_REPAIRED_ACTION) as { seq: number; detail: string };
      expect(repaired.seq).toBe(6);
      expect(JSON.parse(repaired.detail)).toMatchObject({ rowsBehind: 3 });
    } finally {
      restarted.close();
    }
    const after = verifyAuditAt(temp.dataDir());
    expect(after).toMatchObject({ ok: true, rows: 6 });
    expect(after).not.toHaveProperty('anchorBehind');
  });
});
