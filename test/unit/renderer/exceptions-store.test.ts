import { describe, expect, it } from 'vitest';
import type { Result } from '../../../shared/contract/result.js';
import type { ExceptionSummary } from '../../../shared/domain/exception.js';
import { createExceptionsStore, toQuery, waitingCount } from '../../../renderer/stores/exceptions-store.js';
import { deferred, fakeOperations } from './fake-operations.js';
import { exceptionOf, groupOf } from './exception-fixtures.js';

const A = exceptionOf({ id: 'exc_aaaaaaaaaa' });
const B = exceptionOf({ id: 'exc_bbbbbbbbbb', sourceId: 'supply-use-no-patient' });
const C = exceptionOf({ id: 'exc_cccccccccc', sourceId: 'charge-price-policy' });

function page(items: readonly ExceptionSummary[], nextCursor: string | null = null) {
  return (): Result<unknown> => ({ ok: true, value: { items, nextCursor } });
}

describe('exceptions store: filters and groups', () => {
  it('opens on the open exceptions and sends every chosen filter to exceptions.list', async () => {
    const store = createExceptionsStore();
    const { ops, calls } = fakeOperations({ 'exceptions.list': page([A, B]) });
    await store.getState().load(ops);
    expect(calls[0]).toEqual({ name: 'exceptions.list', input: { state: 'open', limit: 100 } });
    expect(store.getState().items.map((item) => item.id)).toEqual([A.id, B.id]);
    // The first row is selected, so keyboard triage starts at once.
    expect(store.getState().selectedId).toBe(A.id);

    await store.getState().setFilter(ops, {
      flowId: 'flow_aaaaaaaaaa',
      class: 'data',
      assignee: null,
      text: '  GLV ',
      state: undefined,
    });
    expect(calls.at(-1)?.input).toEqual({
      flowId: 'flow_aaaaaaaaaa',
      class: 'data',
      assignee: null,
      text: 'GLV',
      limit: 100,
    });
  });

  it('turns the age choice into created-before/after instants', () => {
    const now = new Date('2026-01-10T12:00:00Z');
    expect(toQuery({ age: 'last-day' }, now)).toEqual({ createdAfter: '2026-01-09T12:00:00.000Z' });
    expect(toQuery({ age: 'older-than-day' }, now)).toEqual({ createdBefore: '2026-01-09T12:00:00.000Z' });
    expect(toQuery({ age: 'older-than-week' }, now)).toEqual({ createdBefore: '2026-01-03T12:00:00.000Z' });
    expect(toQuery({ age: 'any', text: '   ' }, now)).toEqual({});
  });

  it('asks for the groups with the same filter in group mode, and a group narrows the list', async () => {
    const store = createExceptionsStore();
    const { ops, calls } = fakeOperations({
      'exceptions.list': page([A]),
      'exceptions.groups': () => ({ ok: true, value: [groupOf({ count: 2 })] }),
    });
    await store.getState().setMode(ops, 'groups');
    expect(calls.map((call) => call.name).sort()).toEqual(['exceptions.groups', 'exceptions.list']);
    expect(calls.find((call) => call.name === 'exceptions.groups')?.input).toEqual({
      state: 'open',
      limit: 200,
    });
    expect(store.getState().groups.map((group) => group.count)).toEqual([2]);
    await store.getState().setFilter(ops, { signature: groupOf().signature });
    expect(calls.at(-1)?.input).toMatchObject({ signature: groupOf().signature });
  });

  it('keeps the answer to the newest request when an older one arrives late', async () => {
    const store = createExceptionsStore();
    const slow = deferred<Result<unknown>>();
    let call = 0;
    const { ops } = fakeOperations({
      'exceptions.list': () => (++call === 1 ? slow.promise : page([B])()),
    });
    const first = store.getState().load(ops);
    await store.getState().setFilter(ops, { class: 'data' });
    slow.resolve(page([A])());
    await first;
    expect(store.getState().items.map((item) => item.id)).toEqual([B.id]);
  });

  it('counts open and dead exceptions as waiting, per flow or in all', () => {
    const counts = [
      { flowId: 'flow_a', open: 2, dead: 1 },
      { flowId: 'flow_b', open: 0, dead: 0 },
    ];
    expect(waitingCount(counts)).toBe(3);
    expect(waitingCount(counts, 'flow_a')).toBe(3);
    expect(waitingCount(counts, 'flow_b')).toBe(0);
  });
});

describe('exceptions store: triage and live events', () => {
  it('moves the selection with the keyboard, staying inside the list', async () => {
    const store = createExceptionsStore();
    const { ops } = fakeOperations({ 'exceptions.list': page([A, B, C]) });
    await store.getState().load(ops);
    store.getState().move(1);
    expect(store.getState().selectedId).toBe(B.id);
    store.getState().move(1);
    store.getState().move(1);
    expect(store.getState().selectedId).toBe(C.id);
    store.getState().move(-1);
    expect(store.getState().selectedId).toBe(B.id);
    store.getState().move(-1);
    store.getState().move(-1);
    expect(store.getState().selectedId).toBe(A.id);
  });

  it('reads the list and the counts again on exceptions.changed, the open detail when it is named', async () => {
    const store = createExceptionsStore();
    let items = [A];
    const { ops, calls } = fakeOperations({
      'exceptions.list': () => page(items)(),
      'exceptions.counts': () => ({ ok: true, value: [{ flowId: A.flowId, open: items.length, dead: 0 }] }),
      'exceptions.get': () => ({ ok: true, value: { ...A, notes: [] } }),
    });
    // Nothing on screen yet: an event asks for nothing.
    store.getState().onChanged(ops, { type: 'exceptions.changed', flowId: null, ids: [], state: null });
    expect(calls).toEqual([]);

    await store.getState().load(ops);
    await store.getState().loadCounts(ops);
    await store.getState().openDetail(ops, A.id);
    items = [A, B];
    calls.length = 0;
    store.getState().onChanged(ops, {
      type: 'exceptions.changed',
      flowId: A.flowId,
      ids: [A.id],
      state: 'ignored',
    });
    await new Promise((done) => setTimeout(done, 0));
    expect(calls.map((call) => call.name).sort()).toEqual([
      'exceptions.counts',
      'exceptions.get',
      'exceptions.list',
    ]);
    expect(store.getState().items).toHaveLength(2);
    expect(waitingCount(store.getState().counts)).toBe(2);

    // An engine event (no ids) refreshes lists but reads no payload again: reads are audited.
    calls.length = 0;
    store.getState().onChanged(ops, { type: 'exceptions.changed', flowId: A.flowId, ids: [], state: null });
    await new Promise((done) => setTimeout(done, 0));
    expect(calls.map((call) => call.name).sort()).toEqual(['exceptions.counts', 'exceptions.list']);
  });
});

describe('exceptions store: actions and bulk', () => {
  it('ignores with the reason, shows the new state and answers the server refusal as a message', async () => {
    const store = createExceptionsStore();
    const { ops, calls } = fakeOperations({
      'exceptions.list': page([A]),
      'exceptions.ignore': (input) =>
        (input as { reason: string }).reason === 'no'
          ? { ok: false, error: { code: 'invalid-input', message: 'Say why (at least 3 characters)' } }
          : { ok: true, value: { ...A, state: 'ignored' } },
    });
    await store.getState().load(ops);
    expect(await store.getState().ignore(ops, A.id, 'no')).toBe('Say why (at least 3 characters)');
    expect(store.getState().items[0]?.state).toBe('open');
    expect(await store.getState().ignore(ops, A.id, 'Price agreed by phone')).toBeNull();
    expect(calls.at(-1)).toEqual({
      name: 'exceptions.ignore',
      input: { id: A.id, reason: 'Price agreed by phone' },
    });
    expect(store.getState().items[0]?.state).toBe('ignored');
  });

  it('runs a bulk action one call per id, reporting progress and each failure', async () => {
    const store = createExceptionsStore();
    const gates = [deferred<null>(), deferred<null>(), deferred<null>()];
    let index = 0;
    const { ops, calls } = fakeOperations({
      'exceptions.list': page([A, B, C]),
      'exceptions.counts': () => ({ ok: true, value: [] }),
      'exceptions.assign': async (input) => {
        const { id, assignee } = input as { id: string; assignee: string };
        await gates[index++]!.promise;
        return id === B.id
          ? { ok: false, error: { code: 'conflict', message: 'Already ignored' } }
          : { ok: true, value: { ...exceptionOf({ id }), assignee } };
      },
    });
    await store.getState().load(ops);
    store.getState().setChecked([A.id, B.id, C.id]);
    const running = store.getState().runBulk(ops, 'assign', [A.id, B.id, C.id], 'fin');
    expect(store.getState().bulk).toMatchObject({ total: 3, done: 0, running: true });
    gates[0]!.resolve(null);
    await new Promise((done) => setTimeout(done, 0));
    expect(store.getState().bulk).toMatchObject({ done: 1, running: true, failures: [] });
    gates[1]!.resolve(null);
    await new Promise((done) => setTimeout(done, 0));
    expect(store.getState().bulk).toMatchObject({
      done: 2,
      failures: [{ id: B.id, message: 'Already ignored' }],
    });
    gates[2]!.resolve(null);
    await running;
    expect(store.getState().bulk).toMatchObject({ done: 3, total: 3, running: false });
    expect(calls.filter((call) => call.name === 'exceptions.assign').map((call) => call.input)).toEqual([
      { id: A.id, assignee: 'fin' },
      { id: B.id, assignee: 'fin' },
      { id: C.id, assignee: 'fin' },
    ]);
    // The failed one stays ticked, to try again; the list and counts are read once at the end.
    expect(store.getState().checked).toEqual([B.id]);
    expect(calls.filter((call) => call.name === 'exceptions.counts')).toHaveLength(1);
  });
});
