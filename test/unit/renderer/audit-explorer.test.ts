import { afterEach, describe, expect, it } from 'vitest';
import type { Result } from '../../../shared/contract/result.js';
import type {
  AuditCsvChunk,
  AuditEntry,
  AuditExplorerPage,
  AuditReport,
} from '../../../shared/domain/audit.js';
import { resolveRoute, routeFromHash, visibleRoutes } from '../../../renderer/app/routes.js';
import { exportAuditCsv } from '../../../renderer/pages/audit/audit-export.js';
import { annotatedDetail, targetObject } from '../../../renderer/pages/audit/audit-names.js';
import { exportFileName, localInputToIso } from '../../../renderer/pages/audit/audit-time.js';
import { reportHash, reportInputFromHash } from '../../../renderer/pages/audit/report/report-query.js';
import {
  checkpointLine,
  filtersLine,
  reportVerificationLine,
  truncationNote,
} from '../../../renderer/pages/audit/report/report-text.js';
import {
  EMPTY_AUDIT_FILTER,
  filterInput,
  matchesFilter,
  type AuditFilter,
} from '../../../renderer/stores/audit-filter.js';
import { createAuditStore } from '../../../renderer/stores/audit-store.js';
import { fakeOperations } from './fake-operations.js';

function entry(seq: number, over: Partial<AuditEntry> = {}): AuditEntry {
  return {
    seq,
    at: '2026-11-15T10:00:00Z',
    actor: 'ada',
    action: 'connections.create',
    target: 'con_1',
    outcome: 'ok',
    detail: '{"name":"Clinic Odoo","connectionId":"con_1"}',
    hash: `h${seq}`,
    ...over,
  };
}

const only = (filter: Partial<AuditFilter>): AuditFilter => ({ ...EMPTY_AUDIT_FILTER, ...filter });
const objects = { con_1: { kind: 'connection' as const, name: 'Clinic Odoo' } };

describe('audit explorer filters', () => {
  it('turns the filter bar into the search input: set fields only, trimmed, page views hidden unless shown', () => {
    expect(filterInput(EMPTY_AUDIT_FILTER)).toEqual({ hideReads: true });
    expect(
      filterInput({
        action: ' exceptions ',
        actor: ' Ada ',
        object: ' Clinic Odoo ',
        outcome: 'denied',
        from: '2026-11-01T00:00:00+01:00',
        to: '2026-12-01T00:00:00+01:00',
        text: ' secret ',
        showReads: true,
      }),
    ).toEqual({
      action: 'exceptions',
      actor: 'ada',
      object: 'Clinic Odoo',
      outcome: 'denied',
      from: '2026-11-01T00:00:00+01:00',
      to: '2026-12-01T00:00:00+01:00',
      text: 'secret',
      hideReads: false,
    });
  });

  it('leaves live page views out by default (successful reads of the contract), keeps refused reads and writes', () => {
    const view = entry(1, { action: 'audit.list', target: null });
    expect(matchesFilter(view, EMPTY_AUDIT_FILTER)).toBe(false);
    expect(matchesFilter(view, only({ showReads: true }))).toBe(true);
    expect(matchesFilter({ ...view, outcome: 'denied' }, EMPTY_AUDIT_FILTER)).toBe(true);
    expect(matchesFilter(entry(2), EMPTY_AUDIT_FILTER)).toBe(true);
    // Engine actions are no operation: never taken for a page view.
    expect(matchesFilter(entry(3, { action: 'engine.batch' }), EMPTY_AUDIT_FILTER)).toBe(true);
  });

  it('matches live rows by outcome, period (from inclusive, to exclusive), text and object (id or known name)', () => {
    const row = entry(1);
    expect(matchesFilter(row, only({ outcome: 'ok' }))).toBe(true);
    expect(matchesFilter(row, only({ outcome: 'error' }))).toBe(false);
    expect(matchesFilter(row, only({ from: '2026-11-15T10:00:00Z' }))).toBe(true);
    expect(matchesFilter(row, only({ to: '2026-11-15T10:00:00Z' }))).toBe(false);
    expect(
      matchesFilter(row, only({ from: '2026-11-15T11:00:00+01:00', to: '2026-11-15T12:00:00+01:00' })),
    ).toBe(true);
    expect(matchesFilter(row, only({ text: 'CLINIC odoo' }))).toBe(true);
    expect(matchesFilter(row, only({ text: 'nothing like it' }))).toBe(false);
    expect(matchesFilter(row, only({ object: 'con_1' }))).toBe(true);
    expect(matchesFilter(row, only({ object: 'clinic' }), objects)).toBe(true);
    expect(matchesFilter(row, only({ object: 'clinic' }))).toBe(false);
  });
});

describe('audit explorer store: window-bounded search', () => {
  function page(value: Partial<AuditExplorerPage>): Result<AuditExplorerPage> {
    return {
      ok: true,
      value: { entries: [], nextBeforeSeq: null, searchedDownToSeq: null, objects: {}, ...value },
    };
  }

  it('says how far a short answer searched, continues below it with the same filters, and merges names', async () => {
    const store = createAuditStore();
    const answers = [
      page({ entries: [entry(900)], nextBeforeSeq: 500, searchedDownToSeq: 500, objects }),
      page({
        entries: [entry(20, { target: 'flow_1' })],
        nextBeforeSeq: null,
        searchedDownToSeq: 1,
        objects: { flow_1: { kind: 'flow', name: 'Supply consumption' } },
      }),
    ];
    const { ops, calls } = fakeOperations({ 'audit.list': () => answers.shift()! });
    await store.getState().setFilter(ops, only({ text: 'clinic' }));
    expect(store.getState()).toMatchObject({ searchedDownToSeq: 500, nextBeforeSeq: 500 });
    await store.getState().loadOlder(ops);
    expect(calls[1]?.input).toEqual({ beforeSeq: 500, limit: 100, text: 'clinic', hideReads: true });
    expect(store.getState().entries.map((row) => row.seq)).toEqual([900, 20]);
    // The start of the log: nothing older to search.
    expect(store.getState()).toMatchObject({ searchedDownToSeq: null, nextBeforeSeq: null });
    expect(Object.keys(store.getState().objects).sort()).toEqual(['con_1', 'flow_1']);
  });

  it('shows no window bound when the page came back full', async () => {
    const store = createAuditStore();
    const full = Array.from({ length: 100 }, (_, index) => entry(1000 - index));
    const { ops } = fakeOperations({
      'audit.list': () => page({ entries: full, nextBeforeSeq: 901, searchedDownToSeq: 901 }),
    });
    await store.getState().loadNewest(ops);
    expect(store.getState()).toMatchObject({ searchedDownToSeq: null, nextBeforeSeq: 901 });
  });
});

describe('audit CSV export', () => {
  const chunk = (csv: string, rows: number, nextAfterSeq: number | null): Result<AuditCsvChunk> => ({
    ok: true,
    value: { csv, rows, nextAfterSeq },
  });

  it('asks chunk after chunk from the last seq, stops at null and joins them in order', async () => {
    const answers = [chunk('seq,at\r\n1,a\r\n', 1, 1), chunk('2,b\r\n', 1, 7), chunk('7,c\r\n', 1, null)];
    const { ops, calls } = fakeOperations({ 'audit.exportCsv': () => answers.shift()! });
    const seen: number[] = [];
    const result = await exportAuditCsv(ops, { outcome: 'ok', hideReads: true }, (rows) => seen.push(rows));
    expect(result).toEqual({ ok: true, csv: 'seq,at\r\n1,a\r\n2,b\r\n7,c\r\n', rows: 3 });
    expect(calls.map((call) => call.input)).toEqual([
      { outcome: 'ok', hideReads: true },
      { outcome: 'ok', hideReads: true, afterSeq: 1 },
      { outcome: 'ok', hideReads: true, afterSeq: 7 },
    ]);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('gives no file when a chunk fails or the cursor stops moving', async () => {
    const failing = [
      chunk('h\r\n1\r\n', 1, 1),
      { ok: false, error: { code: 'unavailable', message: 'Busy' } },
    ];
    const broken = fakeOperations({ 'audit.exportCsv': () => failing.shift() as Result<AuditCsvChunk> });
    expect(await exportAuditCsv(broken.ops, { hideReads: true })).toEqual({
      ok: false,
      message: 'Busy',
      rows: 1,
    });
    const stuck = fakeOperations({ 'audit.exportCsv': () => chunk('x\r\n', 1, 3) });
    const result = await exportAuditCsv(stuck.ops, { hideReads: true });
    expect(result.ok).toBe(false);
    expect(stuck.calls).toHaveLength(2);
  });
});

describe('audit report text', () => {
  const checkpoint = {
    id: 3,
    seq: 120,
    headHash: 'ab'.repeat(32),
    merkleRoot: 'cd'.repeat(32),
    at: '2026-12-01T08:00:00.000Z',
    keyId: 'key-1',
    signature: 'sig',
    matchesLog: true,
    problem: null,
  };

  it('states the verification and the latest checkpoint, or what is wrong', () => {
    expect(reportVerificationLine({ ok: true, rows: 1204, headSeq: 1204, headHash: 'x' })).toBe(
      'Chain verified: 1,204 rows, head #1204',
    );
    expect(reportVerificationLine({ ok: false, rows: 10, brokenSeq: 4, reason: 'hash mismatch' })).toBe(
      'Chain broken at row #4: hash mismatch',
    );
    expect(checkpointLine(checkpoint)).toBe(
      `Latest signed checkpoint #3: row #120, head hash ${'ab'.repeat(32)}, Merkle root ${'cd'.repeat(32)}, ` +
        'signed 2026-12-01T08:00:00.000Z with key key-1, matches the log',
    );
    expect(
      checkpointLine({ ...checkpoint, matchesLog: false, problem: 'row #120 has another hash' }),
    ).toMatch(/does NOT match the log: row #120 has another hash$/);
    expect(checkpointLine(null)).toBe('No signed checkpoint yet');
  });

  it('notes a truncated report and names the filters', () => {
    const report = { truncated: true, totalRows: 5000, entries: new Array<AuditEntry>(2000) } as Pick<
      AuditReport,
      'truncated' | 'totalRows' | 'entries'
    >;
    expect(truncationNote(report)).toBe('First 2,000 of 5,000 rows; the CSV export has them all.');
    expect(truncationNote({ ...report, truncated: false })).toBeNull();
    expect(filtersLine({ action: 'exceptions', outcome: 'error', hideReads: true })).toBe(
      'action exceptions · outcome error · page views left out',
    );
  });

  it('links the report with the filters and a period (30 days up to now when none was chosen)', () => {
    const now = new Date('2026-12-02T12:00:00.000Z');
    const hash = reportHash(only({ action: 'exceptions', showReads: true }), now);
    expect(hash.startsWith('#/audit-report?')).toBe(true);
    expect(reportInputFromHash(hash)).toEqual({
      ok: true,
      input: {
        from: '2026-11-02T12:00:00.000Z',
        to: '2026-12-02T12:00:00.000Z',
        action: 'exceptions',
        hideReads: false,
      },
    });
    expect(reportInputFromHash('#/audit-report').ok).toBe(false);
  });
});

describe('audit names and times', () => {
  const zone = process.env.TZ;
  afterEach(() => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  });

  it('reads a datetime-local value in the operator zone, with its offset', () => {
    process.env.TZ = 'Europe/Berlin';
    expect(localInputToIso('2026-12-02T09:30')).toBe('2026-12-02T09:30:00+01:00');
    expect(localInputToIso('2026-07-02T09:30')).toBe('2026-07-02T09:30:00+02:00');
    expect(localInputToIso('')).toBe('');
    expect(localInputToIso('yesterday')).toBeNull();
    expect(exportFileName('2026-11-01T00:00:00+01:00', '', new Date('2026-12-02T10:00:00Z'))).toBe(
      'audit-2026-11-01_2026-12-02.csv',
    );
  });

  it('names targets and annotates the detail lines that hold known ids', () => {
    expect(targetObject('con_1#4', objects)).toEqual({ id: 'con_1', object: objects.con_1 });
    expect(targetObject('unknown', objects)).toBeNull();
    const lines = annotatedDetail('{"connectionId":"con_1","n":1}', objects);
    expect(lines.map((line) => line.text)).toEqual(['{', '  "connectionId": "con_1",', '  "n": 1', '}']);
    expect(lines[1]?.names).toEqual(['Connection: Clinic Odoo']);
    expect(lines[2]?.names).toEqual([]);
  });
});

describe('the report route', () => {
  it('is reached by its link only: never in the navigation, and only for roles that may call audit.report', () => {
    expect(routeFromHash('#/audit-report?from=a&to=b')).toBe('audit-report');
    expect(visibleRoutes(['viewer']).map((info) => info.route)).not.toContain('audit-report');
    expect(resolveRoute('audit-report', ['viewer'])).toBe('audit-report');
    expect(resolveRoute('audit-report', ['finance'])).not.toBe('audit-report');
  });
});
