import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../shared/domain/audit.js';
import { openStore } from '../../../main/store/open-store.js';
import { createAuditLog } from '../../../main/store/audit/sqlite-audit-log.js';
import { GENESIS_HASH, auditRowHash } from '../../../main/store/audit/audit-hash.js';
import { StoreError } from '../../../main/store/store-errors.js';
import { verifyAuditChain } from '../../../main/store/audit/verify-audit-chain.js';
import { quietLog, sampleEntries, steppingClock, useTempDataDir } from './temp-data-dir.js';

const temp = useTempDataDir();
const open = (): ReturnType<typeof openStore> =>
  openStore({ dataDir: temp.dataDir(), now: steppingClock(), log: quietLog });

describe('audit log append', () => {
  it('numbers rows from 1 and chains each to the previous hash', () => {
    const store = open();
    try {
      const first = store.audit.append({
        actor: 'admin',
        action: 'a',
        target: null,
        outcome: 'ok',
        detail: { z: 1, a: 2 },
      });
      const [second, third] = store.audit.appendMany(sampleEntries(2));
      expect(first).toEqual({
        seq: 1,
        at: expect.stringMatching(/^2025-01-01T00:00:00\.\d{3}Z$/) as string,
        actor: 'admin',
        action: 'a',
        target: null,
        outcome: 'ok',
        detail: '{"a":2,"z":1}',
        hash: auditRowHash(GENESIS_HASH, first),
      });
      expect(second!.seq).toBe(2);
      expect(third!.seq).toBe(3);
      const rows = store.db.prepare('SELECT seq, prev_hash, hash FROM audit_log ORDER BY seq').all() as {
        seq: number;
        prev_hash: string;
        hash: string;
      }[];
      expect(rows.map((r) => r.prev_hash)).toEqual([GENESIS_HASH, first.hash, second!.hash]);
      expect(rows[2]!.hash).toBe(third!.hash);
    } finally {
      store.close();
    }
  });

  it('writes the head anchor after every committed batch', () => {
    const store = open();
    try {
      const written = store.audit.appendMany(sampleEntries(3));
      const anchor = JSON.parse(readFileSync(join(temp.dataDir(), 'audit-head.json'), 'utf8')) as unknown;
      expect(anchor).toEqual({ seq: 3, hash: written[2]!.hash });
    } finally {
      store.close();
    }
  });

  it('writes a batch all or nothing: one bad entry and no row is written', () => {
    const store = open();
    try {
      store.audit.appendMany(sampleEntries(2));
      const bad = [
        ...sampleEntries(3),
        { actor: '', action: 'x', target: null, outcome: 'ok' as const, detail: {} },
      ];
      expect(() => store.audit.appendMany(bad)).toThrow(/audit entry 3: actor must not be empty/);
      expect(store.audit.list({ limit: 10 }).entries).toHaveLength(2);
      expect(store.audit.verify()).toMatchObject({ ok: true, rows: 2 });
    } finally {
      store.close();
    }
  });

  it('an empty batch writes nothing and notifies nobody', () => {
    const store = open();
    try {
      let calls = 0;
      store.audit.onAppend(() => (calls += 1));
      expect(store.audit.appendMany([])).toEqual([]);
      expect(calls).toBe(0);
      expect(existsSync(join(temp.dataDir(), 'audit-head.json'))).toBe(false);
    } finally {
      store.close();
    }
  });

  it('refuses to append inside a caller transaction (the anchor could name rows that roll back)', () => {
    const store = open();
    try {
      const inside = store.db.transaction(() => store.audit.appendMany(sampleEntries(1)));
      expect(() => inside()).toThrow(StoreError);
      expect(() => inside()).toThrow(/outside any open transaction/);
      expect(store.audit.verify()).toMatchObject({ ok: true, rows: 0 });
    } finally {
      store.close();
    }
  });

  it('keeps one chain when two connections append to the same store', () => {
    const a = open();
    const b = open();
    try {
      for (let i = 0; i < 10; i += 1) {
        (i % 2 === 0 ? a : b).audit.appendMany(sampleEntries(3, i * 3 + 1));
      }
      expect(a.audit.verify()).toMatchObject({ ok: true, rows: 30, headSeq: 30 });
      expect(b.audit.verify()).toMatchObject({ ok: true, rows: 30 });
    } finally {
      a.close();
      b.close();
    }
  });

  it('cannot be changed through SQL: the triggers abort UPDATE and DELETE', () => {
    const store = open();
    try {
      store.audit.appendMany(sampleEntries(2));
      expect(() => store.db.prepare("UPDATE audit_log SET actor = 'x' WHERE seq = 1").run()).toThrow(
        'audit_log is append-only',
      );
      expect(() => store.db.prepare('DELETE FROM audit_log WHERE seq = 2').run()).toThrow(
        'audit_log is append-only',
      );
      expect(store.audit.verify()).toMatchObject({ ok: true, rows: 2 });
    } finally {
      store.close();
    }
  });
});

describe('audit log onAppend', () => {
  it('notifies after commit with the written rows, until unsubscribed', () => {
    const store = open();
    try {
      const seen: number[][] = [];
      const unsubscribe = store.audit.onAppend((entries) => {
        // After commit: a second connection already sees the rows.
        const other = open();
        try {
          expect(other.audit.list({ limit: 100 }).entries.length).toBeGreaterThanOrEqual(entries.length);
        } finally {
          other.close();
        }
        seen.push(entries.map((e) => e.seq));
      });
      store.audit.appendMany(sampleEntries(2));
      store.audit.append(sampleEntries(1)[0]!);
      unsubscribe();
      store.audit.append(sampleEntries(1)[0]!);
      expect(seen).toEqual([[1, 2], [3]]);
    } finally {
      store.close();
    }
  });

  it('a throwing listener is logged and neither loses the rows nor starves other listeners', () => {
    const warnings: string[] = [];
    const store = openStore({
      dataDir: temp.dataDir(),
      log: { warn: (_f, message) => warnings.push(message) },
    });
    try {
      let reached = 0;
      store.audit.onAppend(() => {
        throw new Error('listener bug');
      });
      store.audit.onAppend(() => (reached += 1));
      expect(store.audit.append(sampleEntries(1)[0]!).seq).toBe(1);
      expect(reached).toBe(1);
      expect(warnings).toEqual(['an audit onAppend listener threw']);
    } finally {
      store.close();
    }
  });
});

describe('audit log list', () => {
  it('pages newest first with nextBeforeSeq, ending with null', () => {
    const store = open();
    try {
      store.audit.appendMany(sampleEntries(7));
      const pages: number[][] = [];
      let before: number | undefined;
      for (let guard = 0; guard < 10; guard += 1) {
        const page = store.audit.list({ limit: 3, beforeSeq: before });
        pages.push(page.entries.map((e) => e.seq));
        if (page.nextBeforeSeq === null) break;
        before = page.nextBeforeSeq;
      }
      expect(pages).toEqual([[7, 6, 5], [4, 3, 2], [1]]);
    } finally {
      store.close();
    }
  });

  it('says there is no older page when the last page is exactly full', () => {
    const store = open();
    try {
      store.audit.appendMany(sampleEntries(4));
      expect(store.audit.list({ limit: 2, beforeSeq: 3 })).toMatchObject({ nextBeforeSeq: null });
      expect(store.audit.list({ limit: 4 }).nextBeforeSeq).toBeNull();
    } finally {
      store.close();
    }
  });

  it('filters by action and by actor, together with paging', () => {
    const store = open();
    try {
      store.audit.appendMany(sampleEntries(12));
      const byAction = store.audit.list({ limit: 100, action: 'flow.record.loaded' }).entries;
      expect(byAction.map((e) => e.seq)).toEqual([12, 10, 8, 6, 4, 2]);
      const both = store.audit.list({ limit: 2, action: 'connections.update', actor: 'engine' });
      expect(both.entries.map((e: AuditEntry) => [e.seq, e.actor, e.action])).toEqual([
        [7, 'engine', 'connections.update'],
        [1, 'engine', 'connections.update'],
      ]);
      expect(store.audit.list({ limit: 5, actor: 'nobody' })).toEqual({
        entries: [],
        nextBeforeSeq: null,
        searchedDownToSeq: 1,
      });
      // A value that looks like SQL is only ever a bound parameter.
      expect(store.audit.list({ limit: 5, actor: "' OR 1=1 --" }).entries).toEqual([]);
    } finally {
      store.close();
    }
  });

  it('rejects a bad limit or beforeSeq', () => {
    const store = open();
    try {
      for (const limit of [0, -1, 1.5, 1001, Number.NaN]) {
        expect(() => store.audit.list({ limit })).toThrow(RangeError);
      }
      expect(() => store.audit.list({ limit: 1, beforeSeq: 0 })).toThrow(/beforeSeq/);
    } finally {
      store.close();
    }
  });
});

describe('head anchor failures', () => {
  it('a failed anchor write loses no row and does not throw; it is logged and verify reports it', () => {
    const store = open();
    const warnings: string[] = [];
    const anchorDir = join(temp.root(), 'anchor-folder');
    // A log on the store's own connection, anchored in a folder that does not exist yet, so the
    // anchor write fails the way a full or vanished disk would.
    const audit = createAuditLog(store.db, {
      anchorPath: join(anchorDir, 'audit-head.json'),
      now: () => new Date(),
      log: { warn: (_fields, message) => warnings.push(message) },
    });
    try {
      expect(audit.appendMany(sampleEntries(2)).map((e) => e.seq)).toEqual([1, 2]);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/anchor could not be written/);
      expect(audit.list({ limit: 10 }).entries).toHaveLength(2);
      const result = audit.verify();
      expect(result).toMatchObject({ ok: false, brokenSeq: 3 });
      if (!result.ok) expect(result.reason).toMatch(/head anchor .* is missing/);
      // Once the disk is back, the next append anchors the head again.
      mkdirSync(anchorDir);
      audit.append(sampleEntries(1, 3)[0]!);
      expect(audit.verify()).toMatchObject({ ok: true, rows: 3, headSeq: 3 });
    } finally {
      store.close();
    }
  });

  it('reports an anchor older than the chain as intact with anchorBehind, not as tampering', () => {
    const store = open();
    try {
      const [, , third] = store.audit.appendMany(sampleEntries(3));
      const anchorPath = join(temp.dataDir(), 'audit-head.json');
      const old = readFileSync(anchorPath, 'utf8');
      store.audit.appendMany(sampleEntries(2, 4));
      // Simulate the anchor write of the last batch never reaching the disk (the writer coalesces
      // anchor writes, and this connection's verify() would flush its own first: read as another
      // connection — the CLI, the store worker — does).
      writeFileSync(anchorPath, old);
      expect(verifyAuditChain(store.db, anchorPath)).toMatchObject({
        ok: true,
        rows: 5,
        headSeq: 5,
        anchorBehind: { seq: 3, hash: third!.hash },
      });
      // The next committed append catches the anchor up.
      store.audit.append(sampleEntries(1, 6)[0]!);
      const caughtUp = store.audit.verify();
      expect(caughtUp).toMatchObject({ ok: true, rows: 6 });
      expect(caughtUp).not.toHaveProperty('anchorBehind');
    } finally {
      store.close();
    }
  });
});
