import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import type { OperationFunctions } from '../../../shared/contract/bridge.js';
import type { ReconcileReport, ReconcileStatus } from '../../../shared/domain/flow-reconcile.js';
import { reconcileNote } from '../../../renderer/app/reconcile-notifications.js';
import { isLiveEvent } from '../../../renderer/client/live-event-shape.js';
import {
  createReconcileStore,
  type ReconcileChangedEvent,
} from '../../../renderer/stores/reconcile-store.js';

/** Reconciliation in the console (issue 12): live event, notification of new differences, store. */

const EVENT: ReconcileChangedEvent = {
  type: 'reconcile.changed',
  flowId: 'flow_aaaaaaaaaa',
  runId: 'rec_x',
  state: 'differences',
  differencesNew: 4,
};
const STATUS: ReconcileStatus = {
  flowId: EVENT.flowId,
  flowName: 'Service charges',
  period: 'month',
  schedule: null,
  lastRun: null,
  lastCheckedAt: '2026-12-02T09:00:00.000Z',
  periodsBalanced: 2,
  periodsDiffering: 1,
  openDifferences: 4,
};

describe('reconciliation in the console', () => {
  it('the live event shape check lets reconcile.changed through and refuses a malformed one', () => {
    expect(isLiveEvent(EVENT)).toBe(true);
    expect(isLiveEvent({ ...EVENT, state: 'exploded' })).toBe(false);
    expect(isLiveEvent({ ...EVENT, differencesNew: -1 })).toBe(false);
  });

  it('new differences raise a notification naming the flow and the count; nothing new raises none', () => {
    expect(reconcileNote(EVENT, 'Service charges')).toEqual({
      title: 'Reconciliation: 4 new differences',
      body: 'Service charges: Odoo and the console disagree; each is an exception in the inbox (stage reconcile).',
      tag: `reconcile-${EVENT.flowId}`,
    });
    expect(reconcileNote({ ...EVENT, differencesNew: 0 }, 'Service charges')).toBeNull();
    expect(reconcileNote({ ...EVENT, state: 'balanced', differencesNew: 0 }, undefined)).toBeNull();
  });

  it('reads status again on reconcile.changed once shown, and the report of the flow shown', async () => {
    const calls: string[] = [];
    const report: ReconcileReport = {
      flowId: EVENT.flowId,
      flowName: 'Service charges',
      run: null,
      periods: [],
      differences: [],
    };
    const ops = {
      'reconcile.status': () => {
        calls.push('status');
        return Promise.resolve({ ok: true, value: [STATUS] });
      },
      'reconcile.report': () => {
        calls.push('report');
        return Promise.resolve({ ok: true, value: report });
      },
    } as unknown as OperationFunctions;
    const store = createReconcileStore();
    store.getState().onChanged(ops, EVENT);
    expect(calls).toEqual([]);
    await store.getState().load(ops);
    await store.getState().show(ops, EVENT.flowId);
    store.getState().onChanged(ops, EVENT);
    await vi.waitFor(() => expect(calls).toEqual(['status', 'report', 'status', 'report']));
    expect(store.getState().statuses).toEqual([STATUS]);
  });

  it('the report shows the totals of each period and each typed difference with its state', async () => {
    const { ReportView } = await import('../../../renderer/pages/reconcile/ReconcilePage.js');
    const report: ReconcileReport = {
      flowId: EVENT.flowId,
      flowName: 'Service charges',
      run: null,
      periods: [
        {
          period: '2026-11-01',
          odoo: { count: 119, amount: 9580 },
          console: { count: 119, amount: 9573 },
          source: { count: 121 },
          balanced: false,
          differences: 1,
        },
      ],
      differences: [
        {
          id: 1,
          runId: 'rec_x',
          period: '2026-11-01',
          day: '2026-11-18',
          type: 'changed-in-odoo',
          targetKey: 'charge_charge_enc_0002',
          odooId: 12,
          sourceId: 'ChargeItem/charge-enc-0002',
          expected: '80.00',
          found: '87.00',
          message: 'Changed in Odoo behind the console: …',
          exceptionId: 'exc_1',
          open: true,
        },
      ],
    };
    const html = renderToStaticMarkup(createElement(ReportView, { report }));
    for (const text of [
      '119 · 9580.00',
      '119 · 9573.00',
      '121',
      '1 differences',
      'Changed in Odoo behind the console',
      '2026-11-18',
      'charge_charge_enc_0002 (Odoo 12)',
      '80.00',
      '87.00',
      'Open',
    ])
      expect(html).toContain(text);
  });
});
