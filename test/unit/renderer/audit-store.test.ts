import { describe, expect, it } from 'vitest';
import type { Result } from '../../../shared/contract/result.js';
import type { AuditEntry, AuditExplorerPage } from '../../../shared/domain/audit.js';
import { EMPTY_AUDIT_FILTER, type AuditFilter } from '../../../renderer/stores/audit-filter.js';
import { createAuditStore, matchesFilter } from '../../../renderer/stores/audit-store.js';
import { deferred, fakeOperations } from './fake-operations.js';

function entry(seq: number, over: Partial<AuditEntry> = {}): AuditEntry {
  return {
    seq,
    at: '2025-01-01T00:00:00Z',
    actor: 'ada',
    action: 'connections.create',
    target: null,
    outcome: 'ok',
    detail: '{}',
    hash: `h${seq}`,
    ...over,
  };
}

function page(seqs: number[], nextBeforeSeq: number | null): Result<AuditExplorerPage> {
  return {
    ok: true,
    value: {
      entries: seqs.map((seq) => entry(seq)),
      nextBeforeSeq,
      searchedDownToSeq: nextBeforeSeq,
      objects: {},
    },
  };
}

const only = (filter: Partial<AuditFilter>): AuditFilter => ({ ...EMPTY_AUDIT_FILTER, ...filter });

describe('audit store: paging and filters', () => {
  it('loads the newest page, then older pages until the start of the log', async () => {
    const store = createAuditStore();
    const { ops, calls } = fakeOperations({
      'audit.list': (input) => {
        const before = (input as { beforeSeq?: number }).beforeSeq;
        return before === undefined ? page([5, 4, 3], 3) : page([2, 1], null);
      },
    });
    await store.getState().loadNewest(ops);
    await store.getState().loadOlder(ops);
    expect(store.getState().entries.map((row) => row.seq)).toEqual([5, 4, 3, 2, 1]);
    expect(store.getState().nextBeforeSeq).toBeNull();
    await store.getState().loadOlder(ops);
    expect(calls).toHaveLength(2);
    expect(calls[1]?.input).toMatchObject({ beforeSeq: 3, limit: 100 });
  });

  it('sends only the filters that are set, trimmed (operator names lower-cased), page views hidden', async () => {
    const store = createAuditStore();
    const { ops, calls } = fakeOperations({ 'audit.list': () => page([], null) });
    await store.getState().setFilter(ops, only({ action: ' connections.setSecret ', actor: ' ADA ' }));
    await store.getState().setFilter(ops, only({}));
    expect(calls[0]?.input).toEqual({
      limit: 100,
      action: 'connections.setSecret',
      actor: 'ada',
      hideReads: true,
    });
    expect(calls[1]?.input).toEqual({ limit: 100, hideReads: true });
  });

  it('hides page views by default, from the very first load', async () => {
    const store = createAuditStore();
    const { ops, calls } = fakeOperations({ 'audit.list': () => page([], null) });
    await store.getState().loadNewest(ops);
    expect(calls[0]?.input).toEqual({ limit: 100, hideReads: true });
    await store.getState().setFilter(ops, only({ showReads: true }));
    expect(calls[1]?.input).toEqual({ limit: 100, hideReads: false });
  });

  it('drops an answer that arrives after the filter changed', async () => {
    const store = createAuditStore();
    const slow = deferred<Result<AuditExplorerPage>>();
    let call = 0;
    const { ops } = fakeOperations({ 'audit.list': () => (++call === 1 ? slow.promise : page([9], null)) });
    const first = store.getState().loadNewest(ops);
    await store.getState().setFilter(ops, only({ action: 'session.login' }));
    slow.resolve(page([1, 2, 3], null));
    await first;
    expect(store.getState().entries.map((row) => row.seq)).toEqual([9]);
  });

  it('shows the error of a failed load', async () => {
    const store = createAuditStore();
    const { ops } = fakeOperations({
      'audit.list': () => ({ ok: false, error: { code: 'forbidden', message: 'Not for your roles.' } }),
    });
    await store.getState().loadNewest(ops);
    expect(store.getState()).toMatchObject({ error: 'Not for your roles.', loading: false, loaded: false });
  });
});

describe('audit store: live rows', () => {
  it('prepends a pushed row once, newest first', async () => {
    const store = createAuditStore();
    const { ops } = fakeOperations({ 'audit.list': () => page([3, 2], 2) });
    await store.getState().loadNewest(ops);
    store.getState().onAppended({ type: 'audit.appended', entry: entry(4) });
    store.getState().onAppended({ type: 'audit.appended', entry: entry(4) });
    expect(store.getState().entries.map((row) => row.seq)).toEqual([4, 3, 2]);
    expect(store.getState().nextBeforeSeq).toBe(2);
  });

  it('keeps a row pushed before the first page arrives when it is newer than the page', async () => {
    // The row recording the read itself is appended after the read: its event can beat the response.
    const store = createAuditStore();
    store.getState().onAppended({ type: 'audit.appended', entry: entry(3) });
    store.getState().onAppended({ type: 'audit.appended', entry: entry(1) });
    const { ops } = fakeOperations({ 'audit.list': () => page([2, 1], null) });
    await store.getState().loadNewest(ops);
    expect(store.getState().entries.map((row) => row.seq)).toEqual([3, 2, 1]);
  });

  it('drops pushed rows outside the filter, and rows from before a filter change', async () => {
    const store = createAuditStore();
    store.getState().onAppended({ type: 'audit.appended', entry: entry(1) });
    const { ops } = fakeOperations({ 'audit.list': () => page([], null) });
    await store.getState().setFilter(ops, only({ action: 'connections.delete' }));
    store.getState().onAppended({ type: 'audit.appended', entry: entry(2) });
    store
      .getState()
      .onAppended({ type: 'audit.appended', entry: entry(3, { action: 'connections.delete' }) });
    expect(store.getState().entries.map((row) => row.seq)).toEqual([3]);
  });

  it('matches an action exactly or by family, operator names case-insensitively', () => {
    expect(matchesFilter(entry(1), only({ actor: 'ADA' }))).toBe(true);
    expect(matchesFilter(entry(1), only({ action: 'connections' }))).toBe(true);
    expect(matchesFilter(entry(1), only({ action: 'connection' }))).toBe(false);
    expect(matchesFilter(entry(1), only({ action: 'connections.create', actor: 'bob' }))).toBe(false);
  });
});

describe('audit store: chain verification', () => {
  it('keeps the verification result, or the error', async () => {
    const store = createAuditStore();
    const broken = { ok: false as const, rows: 10, brokenSeq: 4, reason: 'hash mismatch' };
    let answer: Result<unknown> = { ok: true, value: broken };
    const { ops } = fakeOperations({ 'audit.verify': () => answer });
    await store.getState().verify(ops);
    expect(store.getState()).toMatchObject({ verification: broken, verifying: false, verifyError: null });
    answer = { ok: false, error: { code: 'unavailable', message: 'Store busy.' } };
    await store.getState().verify(ops);
    expect(store.getState()).toMatchObject({ verification: null, verifyError: 'Store busy.' });
  });
});
