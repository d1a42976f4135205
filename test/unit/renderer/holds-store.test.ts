import { renderToStaticMarkup } from 'react-dom/server';
import { createElement } from 'react';
import { describe, expect, it } from 'vitest';
import type { OperationFunctions } from '../../../shared/contract/bridge.js';
import type { AnomalyHold } from '../../../shared/domain/flow-anomaly.js';
import { isLiveEvent } from '../../../renderer/client/live-event-shape.js';
import { createHoldsStore } from '../../../renderer/stores/holds-store.js';

const HOLD: AnomalyHold = {
  id: 'hold_0123456789abcdef0123',
  flowId: 'flow_aaaaaaaaaa',
  flowName: 'Supplies used',
  runId: 'run_aaaaaaaaaa',
  createdAt: '2026-12-07T09:00:00.000Z',
  explanation: '412 records: 12× the median of the last 8 Mondays (34)',
  size: 412,
  state: 'held',
  decidedBy: null,
  decidedAt: null,
  reason: null,
};

/** Just the hold operations, answering from a list the test changes. */
function fakeOps(state: { held: AnomalyHold[]; calls: string[]; refuse?: string }) {
  const decide = (name: string) => (input: { id: string; reason: string }) => {
    state.calls.push(`${name} ${input.id} ${input.reason}`);
    if (state.refuse !== undefined)
      return Promise.resolve({ ok: false, error: { code: 'forbidden', message: state.refuse } });
    state.held = state.held.filter((hold) => hold.id !== input.id);
    return Promise.resolve({ ok: true, value: {} });
  };
  return {
    'holds.list': () => {
      state.calls.push('holds.list');
      return Promise.resolve({ ok: true, value: state.held });
    },
    'holds.release': decide('holds.release'),
    'holds.reject': decide('holds.reject'),
  } as unknown as OperationFunctions;
}

describe('held batches in the console', () => {
  it('lists the held batches, reads them again on holds.changed only once shown, and decides with a reason', async () => {
    const state = { held: [HOLD], calls: [] as string[] };
    const ops = fakeOps(state);
    const store = createHoldsStore();
    store.getState().onChanged(ops);
    expect(state.calls).toEqual([]);
    await store.getState().load(ops);
    expect(store.getState().held).toEqual([HOLD]);
    expect(await store.getState().decide(ops, 'release', HOLD.id, 'Quarter-end count')).toBeNull();
    expect(state.calls).toEqual(['holds.list', `holds.release ${HOLD.id} Quarter-end count`, 'holds.list']);
    expect(store.getState().held).toEqual([]);
  });

  it("answers the server's refusal in its own words", async () => {
    const state = { held: [HOLD], calls: [] as string[], refuse: 'Only finance decides.' };
    const store = createHoldsStore();
    expect(await store.getState().decide(fakeOps(state), 'reject', HOLD.id, 'duplicate')).toBe(
      'Only finance decides.',
    );
    expect(store.getState().held).toEqual([HOLD]);
  });

  it('the live event shape check lets holds.changed through (consoles drop unknown events)', () => {
    const event = { type: 'holds.changed', change: 'held', holdId: HOLD.id, flowId: HOLD.flowId };
    expect(isLiveEvent(event)).toBe(true);
    expect(isLiveEvent({ ...event, change: 'deleted' })).toBe(false);
    expect(isLiveEvent({ ...event, holdId: 7 })).toBe(false);
  });

  it('the explanation reaches the page markup', async () => {
    const { HeldBatchesView } = await import('../../../renderer/pages/exceptions/HeldBatches.js');
    const html = renderToStaticMarkup(
      createElement(HeldBatchesView, { held: [HOLD], error: null, canDecide: false }),
    );
    expect(html).toContain('412 records: 12× the median of the last 8 Mondays (34)');
    expect(html).toContain('Supplies used');
    expect(html).not.toContain('Release');
  });
});
