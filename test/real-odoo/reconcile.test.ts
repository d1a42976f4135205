import { randomBytes } from 'node:crypto';
import type { ChargeItem } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Flow } from '../../shared/domain/flow.js';
import { FINISHED_RUN_STATUSES, type Run } from '../../shared/domain/run.js';
import { startFhirEmulator, type FhirEmulator } from '../peers/fhir/index.js';
import { startRealOdoo, type RealOdoo } from '../peers/real-odoo/real-odoo.js';
import { makeTempDir } from '../support/temp-dir.js';
import { CrashConsole, seedInvoiceFlow } from './crash-resume-env.js';

/**
 * Reconciliation against a real Odoo (17 or 19, issue 12 'Done when'): `osc serve` writes 40
 * ChargeItems as customer invoices through the least-privilege integration user; the flow reconciles
 * monthly against Odoo's own grouping (read_group on 17, formatted_read_group on 19) and the FHIR
 * source's counts. Clean: 0 differences. Then Odoo's admin deletes an invoice, edits another's
 * amount and copies a third by hand, and a ChargeItem is put in the EHR behind the flow's cursor:
 * exactly those four are found, each an exception of the right type.
 */
const RECORDS = 40;
const MODULE = 'osc_reconcile';

const fhirToken = randomBytes(20).toString('hex');
const temp = makeTempDir('osc-reconcile-');
let odoo: RealOdoo;
let fhir: FhirEmulator;
let console_: CrashConsole;
let flow: Flow;
const started: { odoo?: RealOdoo; fhir?: FhirEmulator; console?: CrashConsole } = {};

beforeAll(async () => {
  odoo = started.odoo = await startRealOdoo();
  fhir = started.fhir = await startFhirEmulator({
    auth: { bearer: fhirToken },
    seed: 'empty',
    bulkChargeItems: RECORDS,
  });
  console_ = started.console = new CrashConsole(temp.dir);
  await console_.start(true);
  const seeded = await seedInvoiceFlow(console_.operators, {
    odoo: {
      url: odoo.url,
      database: odoo.database,
      login: odoo.integration.login,
      key: odoo.integration.key,
      module: MODULE,
    },
    fhir: { url: fhir.url, token: fhirToken },
    batchSize: 20,
  });
  const {
    id,
    state: _s,
    cursor: _c,
    lastRunId: _l,
    lastSuccessAt: _ls,
    createdAt: _ca,
    createdBy: _cb,
    updatedAt: _ua,
    updatedBy: _ub,
    ...definition
  } = seeded;
  flow = await console_.operators.it.value('flows.update', {
    id,
    definition: {
      ...definition,
      reconcile: {
        period: 'month',
        targetDateField: 'invoice_date',
        targetAmountField: 'amount_untaxed',
        payloadDate: 'invoice_date',
        payloadAmount: '$sum(invoice_line_ids.(quantity * price_unit))',
        targetDomain: [['move_type', '=', 'out_invoice']],
        keyField: 'ref',
        sourceDateParam: 'occurrence',
        lookbackPeriods: 2,
      },
    },
  });
}, 180_000);

afterAll(async () => {
  await started.console?.stop();
  await started.fhir?.close();
  await started.odoo?.stop();
  temp.cleanup();
});

async function runFlow(): Promise<Run> {
  const { it } = console_.operators;
  const queued = await it.value('flows.runNow', { id: flow.id });
  const deadline = Date.now() + 90_000;
  for (;;) {
    const run = await it.value('runs.get', { id: queued.id });
    if (FINISHED_RUN_STATUSES.includes(run.status)) return run;
    if (Date.now() > deadline) throw new Error(`run still ${run.status}\n${console_.logTail()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

interface OdooInvoice {
  id: number;
  ref: string;
  invoice_date: string;
  partner_id: [number, string];
  invoice_line_ids: number[];
  amount_untaxed: number;
}

describe(`reconciliation against real Odoo`, () => {
  it('the clean sync reconciles with 0 differences', async () => {
    const run = await runFlow();
    expect(run.counts.written).toBe(RECORDS);
    const rec = await console_.operators.it.value('reconcile.run', { flowId: flow.id });
    expect(rec, console_.logTail()).toMatchObject({ state: 'balanced', differencesFound: 0, error: null });
    const report = await console_.operators.it.value('reconcile.report', { flowId: flow.id });
    // In balance at the first look: one grouped call, no drill-down; Odoo's own sums equal the facts'.
    expect(rec.odooCalls).toBe(1);
    expect(report.periods.reduce((sum, period) => sum + period.odoo.count, 0)).toBe(RECORDS);
    for (const period of report.periods) {
      expect(period.odoo.count).toBe(period.console.count);
      expect(period.odoo.amount).toBeCloseTo(period.console.amount ?? Number.NaN, 2);
    }
    expect(report.periods.reduce((sum, period) => sum + (period.source?.count ?? 0), 0)).toBe(RECORDS);
  }, 120_000);

  it('finds exactly a deletion, an amount edit, a copy by hand and a never-synced source event', async () => {
    const admin = odoo.adminRpc;
    const invoices = (await admin.searchRead(
      'account.move',
      [['move_type', '=', 'out_invoice']],
      ['ref', 'invoice_date', 'partner_id', 'invoice_line_ids', 'amount_untaxed'],
      { order: 'id' },
    )) as unknown as OdooInvoice[];
    expect(invoices).toHaveLength(RECORDS);
    const [deleted, edited, copied, sameDay] = [invoices[0]!, invoices[1]!, invoices[2]!, invoices[3]!];
    // Odoo stamps write_date to the second: the edit must come after the second the console wrote.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await admin.call('account.move', 'unlink', [[deleted.id]]);
    const [line] = (await admin.call('account.move.line', 'read', [
      edited.invoice_line_ids,
      ['price_unit'],
    ])) as {
      id: number;
      price_unit: number;
    }[];
    await admin.call('account.move', 'write', [
      [edited.id],
      { invoice_line_ids: [[1, line!.id, { price_unit: line!.price_unit + 7 }]] },
    ]);
    const copy = (await admin.call('account.move', 'create', [
      {
        move_type: 'out_invoice',
        partner_id: copied.partner_id[0],
        invoice_date: copied.invoice_date,
        ref: copied.ref,
        invoice_line_ids: [
          [0, 0, { name: 'Copied by hand', quantity: 1, price_unit: copied.amount_untaxed }],
        ],
      },
    ])) as number;
    const late: ChargeItem & { id: string } = {
      resourceType: 'ChargeItem',
      id: 'late-charge-1',
      status: 'billable',
      code: { coding: [{ system: 'http://example.org/services', code: 'consult', display: 'Consultation' }] },
      subject: { reference: 'Patient/bulk-pat-1' },
      occurrenceDateTime: `${sameDay.invoice_date}T09:00:00Z`,
      quantity: { value: 1 },
      priceOverride: { value: 40, currency: 'EUR' },
    };
    // Last updated a day before every bulk record: behind the flow's cursor, never read.
    fhir.state.store.put(late, Date.now() - 86_400_000);

    const rec = await console_.operators.it.value('reconcile.run', { flowId: flow.id });
    expect(rec, console_.logTail()).toMatchObject({
      state: 'differences',
      differencesFound: 4,
      differencesNew: 4,
    });
    const report = await console_.operators.it.value('reconcile.report', { flowId: flow.id });
    expect(report.differences.map((d) => [d.type, d.odooId ?? d.sourceId]).sort()).toEqual(
      [
        ['changed-in-odoo', edited.id],
        ['duplicate', copy],
        ['missing-in-odoo', deleted.id],
        ['never-synced', 'ChargeItem/late-charge-1'],
      ].sort(),
    );
    const page = await console_.operators.it.value('exceptions.list', { flowId: flow.id, limit: 50 });
    const reconcile = page.items.filter((item) => item.stage === 'reconcile');
    expect(reconcile.map((item) => item.errorCode).sort()).toEqual([
      'reconcile.changed-in-odoo',
      'reconcile.duplicate',
      'reconcile.missing-in-odoo',
      'reconcile.never-synced',
    ]);
    const again = await console_.operators.it.value('reconcile.run', { flowId: flow.id });
    expect(again).toMatchObject({ differencesFound: 4, differencesNew: 0 });
  }, 120_000);
});
