import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../shared/domain/audit.js';
import { openStore } from '../../../main/store/open-store.js';
import type { AuditFilter, Store } from '../../../main/store/types.js';
import { createAuditLister } from '../../../main/store/audit/audit-list-query.js';
import { createAuditExportReader } from '../../../main/store/audit/audit-export-query.js';
import { createAuditPeriodSummary } from '../../../main/store/audit/audit-period-summary.js';
import { auditSeqRange } from '../../../main/store/audit/audit-time-bounds.js';
import { quietLog, useTempDataDir } from './temp-data-dir.js';

const temp = useTempDataDir();
const T0 = Date.UTC(2026, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString();

/** A store whose clock the test sets row by row. */
function openAt(): { store: Store; at(ms: number): void } {
  let now = T0;
  const store = openStore({ dataDir: temp.dataDir(), now: () => new Date(now), log: quietLog });
  return { store, at: (ms) => (now = ms) };
}

function append(
  opened: ReturnType<typeof openAt>,
  ms: number,
  row: Partial<Pick<AuditEntry, 'actor' | 'action' | 'target' | 'outcome'>> & { detail?: unknown },
): AuditEntry {
  opened.at(ms);
  return opened.store.audit.append({
    actor: row.actor ?? 'admin',
    action: row.action ?? 'flows.list',
    target: row.target ?? null,
    outcome: row.outcome ?? 'ok',
    detail: row.detail ?? {},
  });
}

function allRows(store: Store): AuditEntry[] {
  return store.db
    .prepare('SELECT seq, at, actor, action, target, outcome, detail, hash FROM audit_log ORDER BY seq')
    .all() as AuditEntry[];
}

const seqs = (entries: readonly AuditEntry[]) => entries.map((entry) => entry.seq);

describe('audit search filters', () => {
  function seeded() {
    const opened = openAt();
    const rows = [
      append(opened, T0 + 1000, { action: 'exceptions', actor: 'ann' }),
      append(opened, T0 + 2000, { action: 'exceptions.list', actor: 'ann' }),
      append(opened, T0 + 3000, {
        action: 'exceptions.retry',
        actor: 'bob',
        target: 'exc-1',
        outcome: 'error',
      }),
      append(opened, T0 + 4000, { action: 'exceptions-old', actor: 'bob' }),
      append(opened, T0 + 5000, { action: 'exceptionsX.list', actor: 'ann' }),
      append(opened, T0 + 6000, { action: 'flows.list', actor: 'viewer', outcome: 'denied' }),
      append(opened, T0 + 7000, { action: 'flows.list', actor: 'ann' }),
      append(opened, T0 + 8000, {
        action: 'flows.update',
        actor: 'ann',
        target: 'flow-9',
        detail: { name: 'Lab 100%_Results' },
      }),
      append(opened, T0 + 9000, {
        action: 'connections.test',
        actor: 'Bob',
        target: 'conn-2',
        detail: { ok: false },
      }),
    ];
    return { ...opened, rows, list: createAuditLister(opened.store.db) };
  }

  it('filters by each field alone and by several together', () => {
    const { store, list } = seeded();
    try {
      const by = (query: Parameters<typeof list>[0]) => seqs(list(query).entries);
      // Family: the action itself and every 'exceptions.*'; not 'exceptions-old' nor 'exceptionsX.*'.
      expect(by({ limit: 50, action: 'exceptions' })).toEqual([3, 2, 1]);
      // Exact: an action with no family below it.
      expect(by({ limit: 50, action: 'exceptions.list' })).toEqual([2]);
      expect(by({ limit: 50, action: 'flows.list' })).toEqual([7, 6]);
      expect(by({ limit: 50, actor: 'bob' })).toEqual([4, 3]);
      expect(by({ limit: 50, targets: ['flow-9', 'conn-2', 'nothing'] })).toEqual([9, 8]);
      expect(by({ limit: 50, outcome: 'denied' })).toEqual([6]);
      // Free text: case-insensitive over action, actor, target and detail; % and _ are plain characters.
      expect(by({ limit: 50, text: 'BOB' })).toEqual([9, 4, 3]);
      expect(by({ limit: 50, text: '100%_r' })).toEqual([8]);
      expect(by({ limit: 50, text: '%' })).toEqual([8]);
      expect(by({ limit: 50, text: 'exc-1' })).toEqual([3]);
      expect(by({ limit: 50, text: '"ok":false' })).toEqual([9]);
      // Period: from inclusive, to exclusive.
      expect(by({ limit: 50, from: iso(T0 + 3000), to: iso(T0 + 6000) })).toEqual([5, 4, 3]);
      // Successful reads hidden; the denied read stays.
      expect(by({ limit: 50, hideOkActions: ['flows.list', 'exceptions.list'] })).toEqual([
        9, 8, 6, 5, 4, 3, 1,
      ]);
      // Together.
      expect(by({ limit: 50, action: 'exceptions', actor: 'ann', from: iso(T0 + 1500) })).toEqual([2]);
      expect(by({ limit: 50, action: 'flows', hideOkActions: ['flows.list'], text: 'lab' })).toEqual([8]);
      expect(by({ limit: 50, actor: 'bob', outcome: 'error', targets: ['exc-1'] })).toEqual([3]);
      // SQL-looking values are bound parameters.
      expect(by({ limit: 50, text: "' OR 1=1 --" })).toEqual([]);
      expect(by({ limit: 50, action: "x' OR 'a'='a" })).toEqual([]);
    } finally {
      store.close();
    }
  });

  it('pages with nextBeforeSeq and says how far down it searched', () => {
    const { store, list } = seeded();
    try {
      const first = list({ limit: 2, actor: 'ann' });
      expect(seqs(first.entries)).toEqual([8, 7]);
      expect(first).toMatchObject({ nextBeforeSeq: 7, searchedDownToSeq: 7 });
      const second = list({ limit: 2, actor: 'ann', beforeSeq: 7 });
      expect(seqs(second.entries)).toEqual([5, 2]);
      const third = list({ limit: 2, actor: 'ann', beforeSeq: second.nextBeforeSeq ?? 0 });
      expect(seqs(third.entries)).toEqual([1]);
      expect(third).toMatchObject({ nextBeforeSeq: null, searchedDownToSeq: 1 });
    } finally {
      store.close();
    }
  });
});

describe('audit search window', () => {
  it('reads at most a window per call and finds an older match by following nextBeforeSeq', () => {
    const opened = openAt();
    try {
      const { store } = opened;
      append(opened, T0, { action: 'store.backup', actor: 'ann' });
      opened.at(T0 + 10);
      store.audit.appendMany(
        Array.from({ length: 99 }, () => ({
          actor: 'x',
          action: 'flows.list',
          target: null,
          outcome: 'ok' as const,
          detail: {},
        })),
      );
      const list = createAuditLister(store.db, { window: 30 });
      const pages = [];
      let beforeSeq: number | undefined;
      for (let call = 0; call < 10; call += 1) {
        const page = list({ limit: 5, text: 'backup', beforeSeq });
        pages.push(page);
        if (page.entries.length > 0 || page.nextBeforeSeq === null) break;
        beforeSeq = page.nextBeforeSeq;
      }
      // Windows of 30 rows from the head (100): 71..100, 41..70, 11..40, then 1..10 holds the match.
      expect(pages.map((page) => [page.entries.length, page.nextBeforeSeq, page.searchedDownToSeq])).toEqual([
        [0, 71, 71],
        [0, 41, 41],
        [0, 11, 11],
        [1, null, 1],
      ]);
      expect(pages.at(-1)?.entries[0]).toMatchObject({ seq: 1, action: 'store.backup' });
      // Without a filter the same window fills pages as before.
      expect(seqs(list({ limit: 3 }).entries)).toEqual([100, 99, 98]);
    } finally {
      opened.store.close();
    }
  });
});

describe('audit search window over an index', () => {
  it('counts an exact action or operator by its own rows, so a rare one is found in one call', () => {
    const opened = openAt();
    try {
      const { store } = opened;
      append(opened, T0, { action: 'operators.create', actor: 'ann' });
      opened.at(T0 + 10);
      const noise = (count: number) =>
        Array.from({ length: count }, () => ({
          actor: 'x',
          action: 'flows.list',
          target: null,
          outcome: 'ok' as const,
          detail: {},
        }));
      store.audit.appendMany(noise(99));
      append(opened, T0 + 20, { action: 'operators.create', actor: 'ann' });
      store.audit.appendMany(noise(50));
      const list = createAuditLister(store.db, { window: 30 });
      // 151 rows; the two operators.create rows (#1 and #101) are far more than a window apart.
      const byAction = list({ limit: 5, action: 'operators.create' });
      expect(seqs(byAction.entries)).toEqual([101, 1]);
      expect(byAction.nextBeforeSeq).toBeNull();
      const byActor = list({ limit: 5, actor: 'ann', text: 'operators' });
      expect(seqs(byActor.entries)).toEqual([101, 1]);
      // The window is still bounded: 30 of x's rows per call, then it says where to go on.
      const byNoise = list({ limit: 5, actor: 'x', text: 'nothing like this' });
      expect(byNoise.entries).toEqual([]);
      expect(byNoise.searchedDownToSeq).toBe(122);
      expect(byNoise.nextBeforeSeq).toBe(122);
    } finally {
      opened.store.close();
    }
  });
});

describe('audit period bounds', () => {
  it('are exact at the edges even when rows are slightly out of time order', () => {
    const opened = openAt();
    try {
      const { store } = opened;
      // Mostly in order, with a clock stepped back two minutes at row 30 and 2 ms back at row 60.
      for (let i = 0; i < 100; i += 1) {
        let ms = T0 + i * 1000;
        if (i === 30) ms -= 120_000;
        if (i === 60) ms = T0 + 59 * 1000 - 2;
        append(opened, ms, { action: `a.${i}` });
      }
      const rows = allRows(store);
      const list = createAuditLister(store.db, { window: 1000 });
      const exports = createAuditExportReader(store.db, { window: 1000, chunkRows: 1000 });
      const periods: [number, number][] = [
        [T0, T0 + 10_000],
        [T0 + 10_000, T0 + 20_000],
        [T0 + 20_000, T0 + 40_000],
        [T0 + 58_998, T0 + 59_000],
        [T0 + 59_000, T0 + 61_000],
        [T0 - 5000, T0 + 200_000],
        [T0 + 99_000, T0 + 99_001],
      ];
      for (const [from, to] of periods) {
        const expected = rows.filter((row) => row.at >= iso(from) && row.at < iso(to)).map((row) => row.seq);
        const listed = seqs(list({ limit: 500, from: iso(from), to: iso(to) }).entries).reverse();
        expect(listed, `${iso(from)}..${iso(to)}`).toEqual(expected);
        expect(seqs(exports({ from: iso(from), to: iso(to) }).entries)).toEqual(expected);
      }
      // The row stepped back two minutes is in its own minute's period, found through the margin.
      expect(seqs(list({ limit: 5, from: iso(T0 - 95_000), to: iso(T0 - 85_000) }).entries)).toEqual([31]);
      // Offsets other than Z mean the same instant.
      expect(
        seqs(
          list({ limit: 500, from: '2026-01-01T01:00:05+01:00', to: '2026-01-01T01:00:07+01:00' }).entries,
        ),
      ).toEqual([7, 6]);
      // The seq bounds come from binary search and narrow the scan to the period (plus the margin).
      const range = auditSeqRange(store.db, { from: iso(T0 + 90_000), to: iso(T0 + 95_000) }, 0);
      expect(range).toEqual({ lo: 91, hi: 95 });
    } finally {
      opened.store.close();
    }
  });
});

describe('audit export chunks', () => {
  it('concatenate to exactly the matching rows of the period: none lost, none twice at chunk edges', () => {
    const opened = openAt();
    try {
      const { store } = opened;
      for (let i = 0; i < 200; i += 1) {
        append(opened, T0 + i * 1000, {
          action: i % 3 === 0 ? 'flows.update' : 'flows.list',
          outcome: i % 7 === 0 ? 'denied' : 'ok',
        });
      }
      const rows = allRows(store);
      const read = createAuditExportReader(store.db, { window: 25, chunkRows: 7 });
      const filters: AuditFilter[] = [
        { from: iso(T0 + 10_000), to: iso(T0 + 150_000) },
        { from: iso(T0 + 10_000), to: iso(T0 + 150_000), action: 'flows.update' },
        { hideOkActions: ['flows.list'] },
        {},
      ];
      for (const filter of filters) {
        const expected = rows.filter(
          (row) =>
            (filter.from === undefined || (row.at >= filter.from && row.at < String(filter.to))) &&
            (filter.action === undefined || row.action === filter.action) &&
            (filter.hideOkActions === undefined || !(row.outcome === 'ok' && row.action === 'flows.list')),
        );
        const got: number[] = [];
        let afterSeq: number | undefined;
        for (let call = 0; call < 200; call += 1) {
          const chunk = read({ ...filter, afterSeq });
          expect(chunk.entries.length).toBeLessThanOrEqual(7);
          got.push(...seqs(chunk.entries));
          if (chunk.nextAfterSeq === null) break;
          afterSeq = chunk.nextAfterSeq;
        }
        expect(got, JSON.stringify(filter)).toEqual(seqs(expected));
      }
    } finally {
      opened.store.close();
    }
  });
});

describe('audit period summary', () => {
  it('counts by outcome and action over the whole period and keeps the first rows', () => {
    const opened = openAt();
    try {
      for (let i = 0; i < 30; i += 1) {
        append(opened, T0 + i * 1000, {
          action: i % 3 === 0 ? 'flows.update' : 'flows.list',
          outcome: i % 10 === 0 ? 'denied' : i % 10 === 1 ? 'error' : 'ok',
        });
      }
      const summarize = createAuditPeriodSummary(opened.store.db);
      const summary = summarize({ from: iso(T0 + 5000), to: iso(T0 + 25_000) }, 4);
      expect(summary.totalRows).toBe(20);
      expect(summary.byOutcome).toEqual({ ok: 16, denied: 2, error: 2 });
      expect(summary.topActions).toEqual([
        { action: 'flows.list', count: 13 },
        { action: 'flows.update', count: 7 },
      ]);
      expect(seqs(summary.entries)).toEqual([6, 7, 8, 9]);
      expect(summary.truncated).toBe(true);
      const hidden = summarize(
        { from: iso(T0 + 5000), to: iso(T0 + 25_000), hideOkActions: ['flows.list'] },
        100,
      );
      // 13 flows.list rows, of which #11, #12 and #21 (i = 10, 11, 20) were not ok and stay.
      expect(hidden.totalRows).toBe(7 + 3);
      expect(hidden.truncated).toBe(false);
    } finally {
      opened.store.close();
    }
  });
});
