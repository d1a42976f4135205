import type { ChargeItem } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReconcileDifferenceType } from '../../../shared/domain/flow-reconcile.js';
import { runFlow, startDemoEnv, type DemoEnv } from '../engine/demo-env.js';

/**
 * Reconciliation on the demo clinic through the emulators (issue 12): the clean demo reconciles
 * with no difference at all (0 false alarms); then four discrepancies are injected — an invoice
 * deleted in Odoo, an invoice's amount edited in Odoo, a ChargeItem the console never read (put in
 * the EHR behind the flow's cursor) and a hand-made copy of an invoice — and exactly those four are
 * found, typed, each an exception in the reconcile stage, none opened twice; undoing the edit
 * settles its exception.
 */

type Invoice = { id: number; ref: string; day: string; lineId: number; price: number; partner: number };

function invoices(env: DemoEnv): Invoice[] {
  const db = env.odoo.state.db;
  return db
    .idsWhere('account.move', (move) => move.move_type === 'out_invoice')
    .map((id) => {
      const move = db.record('account.move', id)!;
      const lineId = db.idsWithValue('account.move.line', 'move_id', id)[0]!;
      return {
        id,
        ref: String(move.ref),
        day: String(move.invoice_date),
        lineId,
        price: Number(db.record('account.move.line', lineId)!.price_unit),
        partner: Number(move.partner_id),
      };
    });
}

/** The flow's unsettled exceptions of the reconcile stage. */
async function reconcileExceptions(env: DemoEnv, flowId: string) {
  const page = await env.it.value('exceptions.list', { flowId, limit: 200 });
  return page.items.filter((item) => item.stage === 'reconcile' && item.state === 'open');
}

describe('reconciliation of the demo service charges (emulators)', () => {
  let env: DemoEnv;
  let flowId: string;
  beforeAll(async () => {
    env = await startDemoEnv();
    flowId = env.clinic.flows.serviceCharges.id;
    await runFlow(env.it, env.clinic.flows.patients.id);
    const run = await runFlow(env.it, flowId);
    // The demo watches anomalies: the run's writes are staged, judged, then drained from the outbox.
    expect(run.counts.written + (run.counts.drained ?? 0)).toBeGreaterThan(100);
  }, 120_000);
  afterAll(async () => {
    // Undefined when the set-up failed before the environment started.
    if ((env as DemoEnv | undefined) !== undefined) await env.close();
  });

  it('the clean demo is in balance: no difference, no exception (0 false alarms)', async () => {
    const run = await env.it.value('reconcile.run', { flowId });
    expect(run).toMatchObject({ state: 'balanced', differencesFound: 0, error: null });
    expect(run.periodsBalanced).toBe(run.periods);

    const report = await env.it.value('reconcile.report', { flowId });
    const written = report.periods.reduce((sum, period) => sum + period.console.count, 0);
    expect(written).toBe(invoices(env).length);
    for (const period of report.periods) {
      expect(period.odoo.count).toBe(period.console.count);
      expect(period.odoo.amount).toBeCloseTo(period.console.amount ?? Number.NaN, 2);
      expect(period.balanced).toBe(true);
    }
    // One grouped call, plus one day split for a period where the source holds more ChargeItems than
    // the flow wrote (the one refused by the price policy, a known exception, not a difference).
    const sourceAhead = report.periods.filter((period) => (period.source?.count ?? 0) > period.console.count);
    expect(run.odooCalls).toBe(1 + sourceAhead.length);
    // The source is counted too: one ChargeItem more than written (the one outside price policy).
    expect(report.periods.reduce((sum, period) => sum + (period.source?.count ?? 0), 0)).toBe(written + 1);
    expect(await reconcileExceptions(env, flowId)).toEqual([]);
  });

  it('finds exactly the four injected discrepancies, typed, each an exception; none opened twice', async () => {
    const db = env.odoo.state.db;
    const all = invoices(env);
    const [deleted, edited, copied] = [all[0]!, all[1]!, all[2]!];
    // Odoo stamps write_date to the second: the edit must fall after the second the console wrote.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    db.unlink('account.move.line', [deleted.lineId]);
    db.unlink('account.move', [deleted.id]);
    db.write(
      'account.move',
      [edited.id],
      { invoice_line_ids: [[1, edited.lineId, { price_unit: edited.price + 7 }]] },
      2,
    );
    const copy = db.create(
      'account.move',
      {
        move_type: 'out_invoice',
        partner_id: copied.partner,
        invoice_date: copied.day,
        ref: copied.ref,
        invoice_line_ids: [[0, 0, { name: 'Copied by hand', quantity: 1, price_unit: copied.price }]],
      },
      2,
    );
    const late: ChargeItem & { id: string } = {
      resourceType: 'ChargeItem',
      id: 'charge-late-0001',
      status: 'billable',
      code: { coding: [{ system: 'http://example.org/services', code: 'consult', display: 'Consultation' }] },
      subject: { reference: 'Patient/pat-001' },
      occurrenceDateTime: `${all[3]!.day}T10:00:00Z`,
      quantity: { value: 1 },
      priceOverride: { value: 40, currency: 'EUR' },
    };
    // Last updated 20 days ago, before every demo record (14 days back at most): behind the
    // flow's cursor, so no run reads it.
    env.fhir.state.store.put(late, Date.now() - 20 * 86_400_000);
    const rerun = await runFlow(env.it, flowId);
    // The cursor's overlap may read the newest record again (unchanged); the late one stays unread.
    expect(rerun.counts.written + (rerun.counts.drained ?? 0)).toBe(0);

    const run = await env.it.value('reconcile.run', { flowId });
    expect(run).toMatchObject({ state: 'differences', differencesFound: 4, differencesNew: 4 });
    const report = await env.it.value('reconcile.report', { flowId });
    const found = report.differences.map((difference) => [
      difference.type,
      difference.odooId ?? difference.sourceId,
    ]);
    expect(found.sort()).toEqual(
      [
        ['changed-in-odoo', edited.id],
        ['duplicate', copy],
        ['missing-in-odoo', deleted.id],
        ['never-synced', 'ChargeItem/charge-late-0001'],
      ].sort(),
    );
    const types = new Map<ReconcileDifferenceType, string>();
    for (const difference of report.differences) {
      expect(difference.exceptionId).not.toBeNull();
      expect(difference.open).toBe(true);
      types.set(difference.type, difference.exceptionId!);
    }
    const edit = report.differences.find((difference) => difference.type === 'changed-in-odoo')!;
    expect(edit).toMatchObject({ expected: edited.price.toFixed(2), found: (edited.price + 7).toFixed(2) });
    expect(edit.message).toContain(`account.move ${edited.id}`);
    expect(edit.message).toContain(edited.day);
    const inbox = await reconcileExceptions(env, flowId);
    expect(inbox.map((item) => item.errorCode).sort()).toEqual([
      'reconcile.changed-in-odoo',
      'reconcile.duplicate',
      'reconcile.missing-in-odoo',
      'reconcile.never-synced',
    ]);
    expect(new Set(inbox.map((item) => item.id))).toEqual(new Set(types.values()));

    const again = await env.it.value('reconcile.run', { flowId });
    expect(again).toMatchObject({ differencesFound: 4, differencesNew: 0 });
    expect(await reconcileExceptions(env, flowId)).toHaveLength(4);

    // Undo the edit in Odoo: its period day is back in balance and its exception is settled.
    db.write(
      'account.move',
      [edited.id],
      { invoice_line_ids: [[1, edited.lineId, { price_unit: edited.price }]] },
      2,
    );
    const settled = await env.it.value('reconcile.run', { flowId });
    expect(settled).toMatchObject({ differencesFound: 3, differencesNew: 0 });
    const detail = await env.it.value('exceptions.get', { id: types.get('changed-in-odoo')! });
    expect(detail.state).toBe('resolved');
  }, 120_000);
});
