import type { SupplyDelivery } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoClinicRecords } from '../../peers/fhir/demo-clinic.js';
import { DEMO_BAD_RECORDS, SUPPLY_ITEMS } from '../../peers/fhir/index.js';
import { CONSUMPTION_LOCATION } from '../../peers/demo/demo-mappings.js';
import { runFlow, startDemoEnv, type DemoEnv } from './demo-env.js';

/**
 * The demo clinic's flows end to end: FHIR emulator → engine worker → Odoo emulator. Asserts the
 * exact records Odoo holds, that a rerun changes nothing, and lineage both ways.
 */
const seed = demoClinicRecords(Date.now()).map((record) => record.resource);
const supplyUses = seed.filter(
  (r): r is SupplyDelivery & { id: string } => r.resourceType === 'SupplyDelivery',
);
const charges = seed.filter((r) => r.resourceType === 'ChargeItem');
const patients = seed.filter((r) => r.resourceType === 'Patient');

function xmlidRecord(env: DemoEnv, model: string, name: string): Record<string, unknown> {
  const found = env.odoo.state.resolveXmlid(`osc_sync.${name}`);
  if (found === null) throw new Error(`no ${model} osc_sync.${name}`);
  expect(found.model).toBe(model);
  const record = env.odoo.state.db.record(model, found.resId);
  if (record === undefined) throw new Error(`${model} ${found.resId} missing`);
  return record;
}

describe('demo clinic flows against the emulators', () => {
  let env: DemoEnv;
  beforeAll(async () => {
    env = await startDemoEnv();
  }, 60_000);
  afterAll(() => env.close());

  it('patients become Odoo partners, exactly once each', async () => {
    const run = await runFlow(env.it, env.clinic.flows.patients.id);
    expect(run.status).toBe('succeeded');
    expect(run.counts).toEqual({
      read: patients.length,
      mapped: patients.length,
      unchanged: 0,
      written: patients.length,
      failed: 0,
    });
    const partner = xmlidRecord(env, 'res.partner', 'patient_pat_001');
    expect(partner.ref).toBe('MRN-10001');
  });

  it('supply consumption becomes stock moves with the right product, quantity and locations', async () => {
    const before = env.odoo.state.db.count('stock.move');
    const run = await runFlow(env.it, env.clinic.flows.supplyConsumption.id);
    expect(run.status).toBe('completed-with-failures');
    expect(run.counts.read).toBe(supplyUses.length);
    expect(run.counts.failed).toBe(2);
    expect(run.counts.written).toBe(supplyUses.length - 2);
    expect(env.odoo.state.db.count('stock.move') - before).toBe(supplyUses.length - 2);

    const stock = env.odoo.state.resolveXmlid('stock.stock_location_stock')?.resId;
    const consumption = env.odoo.state.resolveXmlid(`osc_sync.${CONSUMPTION_LOCATION.key}`)?.resId;
    expect(consumption).toBeGreaterThan(0);
    for (const use of supplyUses) {
      if (use.id === 'supply-use-bad-code' || use.id === 'supply-use-no-patient') continue;
      const coding = use.suppliedItem?.itemCodeableConcept?.coding?.[0];
      const item = SUPPLY_ITEMS.find((candidate) => candidate.code === coding?.code);
      const move = xmlidRecord(env, 'stock.move', `supply_use_${use.id.replace(/[^A-Za-z0-9_]/g, '_')}`);
      const product = env.odoo.state.resolveXmlid(
        `osc_sync.product_${item!.code.replace(/[^A-Za-z0-9_]/g, '_')}`,
      );
      expect(move).toMatchObject({
        name: coding?.display,
        product_uom_qty: use.suppliedItem?.quantity?.value,
        product_id: product?.resId,
        location_id: stock,
        location_dest_id: consumption,
      });
    }

    const failures = await env.it.value('runs.failures', { id: run.id });
    const byRecord = new Map(failures.map((f) => [f.sourceId, f]));
    expect(byRecord.get(DEMO_BAD_RECORDS.unknownSupplyCode.ref)).toMatchObject({
      stage: 'map',
      errorCode: 'mapping.unmapped-code',
    });
    expect(byRecord.get(DEMO_BAD_RECORDS.missingPatient.ref)).toMatchObject({
      stage: 'validate',
      errorCode: 'rule.has-patient',
    });
    expect(byRecord.get(DEMO_BAD_RECORDS.missingPatient.ref)?.sourcePayload).toMatchObject({
      id: 'supply-use-no-patient',
    });
  });

  it('service charges become customer invoices; the price outside policy is held back', async () => {
    const run = await runFlow(env.it, env.clinic.flows.serviceCharges.id);
    expect(run.counts).toMatchObject({ read: charges.length, written: charges.length - 1, failed: 1 });
    const invoice = xmlidRecord(env, 'account.move', 'charge_charge_enc_0001');
    const partner = env.odoo.state.resolveXmlid(
      `osc_sync.patient_${String((charges[0] as { subject: { reference: string } }).subject.reference.split('/')[1]).replace(/-/g, '_')}`,
    );
    expect(invoice).toMatchObject({
      move_type: 'out_invoice',
      ref: 'charge-enc-0001',
      partner_id: partner?.resId,
      state: 'draft',
    });
    const failures = await env.it.value('runs.failures', { id: run.id });
    expect(failures.map((f) => [f.sourceId, f.stage, f.errorCode])).toEqual([
      [DEMO_BAD_RECORDS.priceOutsidePolicy.ref, 'validate', 'rule.price-policy'],
    ]);
  });

  it('a rerun changes nothing in Odoo', async () => {
    const snapshot = (model: string) =>
      JSON.stringify(
        env.odoo.state.db.idsWhere(model, () => true).map((id) => env.odoo.state.db.record(model, id)),
      );
    const models = ['res.partner', 'stock.move', 'account.move', 'account.move.line'];
    const before = models.map(snapshot);
    for (const flow of [
      env.clinic.flows.patients,
      env.clinic.flows.supplyConsumption,
      env.clinic.flows.serviceCharges,
    ]) {
      const run = await runFlow(env.it, flow.id);
      expect(run.counts.written, flow.name).toBe(0);
    }
    // Backfill from the beginning reads everything again: every unchanged record is skipped by hash.
    const backfill = await env.it.value('flows.backfill', {
      id: env.clinic.flows.supplyConsumption.id,
      from: '2000-01-01',
    });
    const { waitForRun } = await import('./demo-env.js');
    const done = await waitForRun(env.it, backfill.id);
    expect(done.counts).toMatchObject({
      read: supplyUses.length,
      unchanged: supplyUses.length - 2,
      written: 0,
      failed: 2,
    });
    expect(models.map(snapshot)).toEqual(before);
  });

  it('supplier CSV invoices become vendor bills; the bad files are rejected whole', async () => {
    const flow = env.clinic.flows.supplierInvoices!;
    const run = await runFlow(env.it, flow.id);
    expect(run.status).toBe('succeeded');
    // invoices 1001–1004 have 4, 2, 3 and 4 lines; 1005 and 1006 are rejected by the drop.
    expect(run.counts).toMatchObject({ read: 13, written: 13, failed: 0 });
    const bill = xmlidRecord(env, 'account.move', 'supplier_invoice_INV_1001_2');
    const vendor = env.odoo.state.resolveXmlid('osc_sync.supplier_nordic_care');
    expect(bill).toMatchObject({
      move_type: 'in_invoice',
      ref: 'INV-1001/2',
      partner_id: vendor?.resId,
      invoice_date: '2025-03-03',
    });
    const again = await runFlow(env.it, flow.id);
    expect(again.counts.read).toBe(0);
  });

  it('approved purchase orders are announced to the supplier portal once', async () => {
    const flow = env.clinic.flows.purchaseApprovals!;
    const run = await runFlow(env.it, flow.id);
    expect(run.counts).toMatchObject({ read: 2, written: 2, failed: 0 });
    expect(env.portal.received.map((event) => event.eventType)).toEqual([
      'purchase.order.approved',
      'purchase.order.approved',
    ]);
    const orders = env.purchaseOrderIds.map((id) => env.odoo.state.db.record('purchase.order', id)!);
    expect(env.portal.received.map((event) => (event.body as { order: string }).order).sort()).toEqual(
      orders.map((o) => o.name).sort(),
    );
    const again = await runFlow(env.it, flow.id);
    expect(again.counts.written).toBe(0);
    expect(env.portal.received).toHaveLength(2);
  });

  it('lineage answers both ways', async () => {
    const fromSource = await env.it.value('lineage.bySource', {
      sourceId: 'SupplyDelivery/supply-use-enc-0001-1',
    });
    expect(fromSource.entries).toHaveLength(1);
    const entry = fromSource.entries[0]!;
    expect(entry).toMatchObject({
      sourceSystem: 'fhir',
      targetSystem: 'odoo',
      targetModel: 'stock.move',
      targetKey: 'supply_use_supply_use_enc_0001_1',
      outcome: 'created',
    });
    const move = xmlidRecord(env, 'stock.move', 'supply_use_supply_use_enc_0001_1');
    expect(entry.targetId).toBe(String(move.id));
    const fromTarget = await env.it.value('lineage.byTarget', {
      targetModel: 'stock.move',
      targetId: String(move.id),
    });
    expect(fromTarget.entries.map((e) => e.sourceId)).toEqual(['SupplyDelivery/supply-use-enc-0001-1']);
    expect(fromTarget.entries[0]?.mappingVersion).toBe(1);
  });
});
