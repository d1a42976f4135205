import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OscBridge } from '../../../shared/contract/bridge.js';
import type { OutagesOverview } from '../../../shared/domain/outage.js';
import { handleLiveEvent } from '../../../renderer/app/use-live-events.js';
import {
  createOutagesStore,
  isAnythingDown,
  OUTAGES_THROTTLE_MS,
  outagesStore,
} from '../../../renderer/stores/outages-store.js';
import { deferred, fakeOperations } from './fake-operations.js';
import { calmOverview, degradedOverview, drainOf, FLOW, ODOO, outboxOf } from './outage-fixtures.js';

const ok = (value: unknown) => ({ ok: true as const, value });
const overviewCalls = (calls: { name: string }[]) =>
  calls.filter((call) => call.name === 'outages.overview').length;

afterEach(() => {
  vi.useRealTimers();
  outagesStore.getState().reset();
});

describe('outages store', () => {
  it('keeps the newest answer when an older one arrives late', async () => {
    const slow = deferred<{ ok: true; value: OutagesOverview }>();
    let call = 0;
    const { ops } = fakeOperations({
      'outages.overview': () => (++call === 1 ? slow.promise : ok(degradedOverview())),
    });
    const store = createOutagesStore();
    const first = store.getState().load(ops);
    await store.getState().load(ops);
    slow.resolve({ ok: true, value: calmOverview() });
    await first;
    expect(isAnythingDown(store.getState().overview)).toBe(true);
  });

  it('reads the overview again on outage and breaker events, at most once per throttle window', async () => {
    vi.useFakeTimers();
    let clock = 0;
    const { ops, calls } = fakeOperations({ 'outages.overview': () => ok(degradedOverview()) });
    const store = createOutagesStore(() => clock);
    store
      .getState()
      .onSignal(ops, { type: 'outages.changed', change: 'outbox', connectionId: ODOO, flowId: FLOW });
    expect(overviewCalls(calls)).toBe(0); // nothing on screen yet: nothing to refresh
    await store.getState().load(ops);
    clock = 100;
    const event = { type: 'outages.changed', change: 'outbox', connectionId: ODOO, flowId: FLOW } as const;
    store.getState().onSignal(ops, event);
    store.getState().onSignal(ops, event);
    store.getState().onSignal(ops, { type: 'connections.changed', change: 'updated', id: ODOO });
    store.getState().onSignal(ops, { type: 'connections.changed', change: 'breaker', id: ODOO });
    expect(overviewCalls(calls)).toBe(1);
    clock = OUTAGES_THROTTLE_MS;
    await vi.advanceTimersByTimeAsync(OUTAGES_THROTTLE_MS);
    expect(overviewCalls(calls)).toBe(2); // one trailing read for the whole burst
    clock = 5 * OUTAGES_THROTTLE_MS;
    store.getState().onSignal(ops, event);
    await vi.runAllTimersAsync();
    expect(overviewCalls(calls)).toBe(3); // after a quiet spell: at once
  });

  it('hands the outage events to the overview that answers them, once', async () => {
    const { ops } = fakeOperations({ 'outages.overview': () => ok(calmOverview()) });
    let clock = 0;
    const store = createOutagesStore(() => clock);
    await store.getState().load(ops);
    expect(store.getState().signals).toEqual([]);
    clock = 10 * OUTAGES_THROTTLE_MS;
    const finished = {
      type: 'outages.changed',
      change: 'drain-finished',
      connectionId: ODOO,
      flowId: FLOW,
    } as const;
    store.getState().onSignal(ops, finished);
    await vi.waitFor(() => expect(store.getState().signals).toEqual([finished]));
    await store.getState().load(ops);
    expect(store.getState().signals).toEqual([]);
  });

  it('follows the progress of a drain run, not of other runs', async () => {
    const withDrain = { ...degradedOverview(), outbox: [outboxOf({ drain: drainOf() })] };
    const { ops, calls } = fakeOperations({ 'outages.overview': () => ok(withDrain) });
    let clock = 0;
    const store = createOutagesStore(() => clock);
    await store.getState().load(ops);
    clock = 10 * OUTAGES_THROTTLE_MS;
    store.getState().onRunProgress(ops, 'run_other00001');
    expect(overviewCalls(calls)).toBe(1);
    store.getState().onRunProgress(ops, 'run_drain00001');
    expect(overviewCalls(calls)).toBe(2);
  });

  it('switches degraded mode, pauses a drain, and answers the server refusal in its words', async () => {
    const { ops, calls } = fakeOperations({
      'outages.overview': () => ok(degradedOverview()),
      'outages.degrade': () => ({
        ok: false,
        error: { code: 'forbidden', message: 'Your roles do not allow this' },
      }),
      'outages.restore': () => ok({ connectionId: ODOO, drainRunIds: ['run_drain00001'] }),
      'runs.pause': () => ok({}),
    });
    const store = createOutagesStore();
    expect(await store.getState().degrade(ops, ODOO, 'Planned upgrade')).toBe('Your roles do not allow this');
    expect(overviewCalls(calls)).toBe(0);
    expect(await store.getState().restore(ops, ODOO, '  ')).toBeNull();
    expect(await store.getState().pauseDrain(ops, 'run_drain00001')).toBeNull();
    expect(calls.filter((call) => call.name !== 'outages.overview')).toEqual([
      { name: 'outages.degrade', input: { connectionId: ODOO, reason: 'Planned upgrade' } },
      { name: 'outages.restore', input: { connectionId: ODOO } },
      { name: 'runs.pause', input: { id: 'run_drain00001' } },
    ]);
    expect(overviewCalls(calls)).toBe(2);
  });

  it('is reached by the live events: outages.changed and a breaker change', async () => {
    const withDrain = { ...degradedOverview(), outbox: [outboxOf({ drain: drainOf() })] };
    const { ops, calls } = fakeOperations({ 'outages.overview': () => ok(withDrain) });
    const client: OscBridge = { operations: ops, onEvent: () => () => undefined };
    await outagesStore.getState().load(ops);
    handleLiveEvent(client, {
      type: 'outages.changed',
      change: 'degraded',
      connectionId: ODOO,
      flowId: null,
    });
    await vi.waitFor(() => expect(overviewCalls(calls)).toBe(2), { timeout: 3 * OUTAGES_THROTTLE_MS });
    handleLiveEvent(client, { type: 'connections.changed', change: 'breaker', id: ODOO });
    await vi.waitFor(() => expect(overviewCalls(calls)).toBe(3), { timeout: 3 * OUTAGES_THROTTLE_MS });
  });
});
