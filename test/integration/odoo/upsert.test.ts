import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OdooConnector } from '../../../main/connectors/odoo/index.js';
import { externalIdName } from '../../../main/connectors/odoo/index.js';
import { startOdooEmulator, type OdooEmulator } from '../../peers/odoo/index.js';
import { connectorFor, TEST_API_KEY } from './support/connector-setup.js';

/** Idempotent batched upserts through `load`, bad-row splitting, relational and one2many writes. */

let emulator: OdooEmulator;
let odoo: OdooConnector;

beforeEach(async () => {
  emulator = await startOdooEmulator({
    apiKeys: [{ key: TEST_API_KEY }],
    seed: {
      records: {
        'product.product': [
          {
            xmlid: 'osc_sync.supply_gauze',
            values: { name: 'Sterile gauze 10x10', default_code: 'SUP-GAUZE-10' },
          },
          { xmlid: 'osc_sync.supply_syringe', values: { name: 'Syringe 5ml', default_code: 'SUP-SYR-5' } },
        ],
      },
    },
  });
  odoo = connectorFor(emulator.url, TEST_API_KEY);
});
afterEach(async () => {
  await odoo.close();
  await emulator.close();
});

const patients = (count: number, offset = 0) =>
  Array.from({ length: count }, (_, index) => ({
    key: externalIdName('fhir-ehr', 'Patient', `p-${index + offset}`),
    payload: {
      name: `Patient ${index + offset}`,
      email: `p${index + offset}@example.org`,
      ref: `MRN-${index + offset}`,
    },
  }));

describe('upsert through load', () => {
  it('creates a batch, and re-sending the same batch creates nothing new', async () => {
    const batch = patients(25);
    const first = await odoo.upsert('res.partner', batch);
    expect(first.every((outcome) => outcome.ok && outcome.created)).toBe(true);
    const partnersAfterFirst = emulator.state.db.count('res.partner');

    const again = await odoo.upsert('res.partner', batch);
    expect(emulator.state.db.count('res.partner')).toBe(partnersAfterFirst);
    expect(again.map((outcome) => (outcome.ok ? outcome.targetId : null))).toEqual(
      first.map((outcome) => (outcome.ok ? outcome.targetId : null)),
    );
    expect(again.every((outcome) => outcome.ok && !outcome.created)).toBe(true);
    // The external ids live under the connection's module.
    const found = await odoo.lookupExternalIds(batch.map((write) => write.key));
    expect(found.size).toBe(25);
    expect([...found.keys()].every((name) => name.startsWith('osc_sync.fhir_ehr_Patient_p_'))).toBe(true);
  });

  it('updates changed values on re-send', async () => {
    const [one] = patients(1);
    await odoo.upsert('res.partner', [one!]);
    const [outcome] = await odoo.upsert('res.partner', [
      { key: one!.key, payload: { ...one!.payload, name: 'Renamed' } },
    ]);
    expect(outcome?.ok).toBe(true);
    const id = Number(outcome?.ok === true ? outcome.targetId : 0);
    expect(emulator.state.db.read('res.partner', [id], ['name'])[0]?.name).toBe('Renamed');
  });

  it('lands every good row and returns one precise error per bad row', async () => {
    const batch = patients(10);
    const bad = new Map([
      [2, { ...batch[2]!, payload: { ...batch[2]!.payload, name: '' } }],
      [5, { ...batch[5]!, payload: { ...batch[5]!.payload, 'country_id/id': 'base.nonexistent' } }],
      [8, { ...batch[8]!, payload: { ...batch[8]!.payload, partner_latitude: 'north' } }],
    ]);
    const mixed = batch.map((write, index) => bad.get(index) ?? write);
    const before = emulator.state.db.count('res.partner');
    const outcomes = await odoo.upsert('res.partner', mixed);

    expect(outcomes.map((outcome) => outcome.key)).toEqual(mixed.map((write) => write.key));
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(7);
    expect(emulator.state.db.count('res.partner')).toBe(before + 7);
    const errors = Object.fromEntries(
      outcomes.flatMap((outcome, index) => (outcome.ok ? [] : [[index, outcome.error]])),
    );
    expect(errors[2]).toEqual({
      class: 'permanent',
      code: 'odoo.load-row',
      message: "'Contacts require a name'",
    });
    expect(errors[5]).toEqual({
      class: 'permanent',
      code: 'odoo.unknown-reference',
      message: "country_id: No matching record found for external id 'base.nonexistent' in field 'Country'",
    });
    expect(errors[8]?.message).toBe(
      "partner_latitude: 'north' does not seem to be a number for field 'Geo Latitude'",
    );
    // One rejected load, then one that lands the rest: bounded, not one call per row.
    const loads = emulator.state.calls.filter((call) => call.method === 'load');
    expect(loads).toHaveLength(2);
  });

  it('logs rejected rows by count and code only, never a secret or a payload', async () => {
    const lines: string[] = [];
    const logged = connectorFor(
      emulator.url,
      TEST_API_KEY,
      {},
      {
        logger: { warn: (details, message) => lines.push(JSON.stringify({ details, message })) },
      },
    );
    await logged.upsert('res.partner', [
      { key: 'ok_row', payload: { name: 'Alice Private' } },
      { key: 'bad_row', payload: { name: '' } },
    ]);
    await logged.close();
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      details: { model: 'res.partner', rejected: 1, remaining: 1, codes: ['odoo.load-row'] },
    });
    expect(lines.join('\n')).not.toContain(TEST_API_KEY);
    expect(lines.join('\n')).not.toContain('Alice Private');
  });

  it('writes relational fields by external id and one2many lines, idempotently', async () => {
    await odoo.upsert('res.partner', [{ key: 'patient_1001', payload: { name: 'Jane Roe' } }]);
    const invoice = {
      key: 'inv_enc_9001',
      payload: {
        move_type: 'out_invoice',
        'partner_id/id': 'osc_sync.patient_1001',
        invoice_date: '2026-11-20',
        ref: 'ENC-9001',
        invoice_line_ids: [
          { 'product_id/id': 'osc_sync.supply_gauze', quantity: 4, price_unit: 0.5 },
          { 'product_id/id': 'osc_sync.supply_syringe', quantity: 2, price_unit: 0.3 },
        ],
      },
    };
    const [first] = await odoo.upsert('account.move', [invoice]);
    expect(first?.ok).toBe(true);
    const moveId = Number(first?.ok === true ? first.targetId : 0);
    const [move] = emulator.state.db.read(
      'account.move',
      [moveId],
      ['partner_id', 'invoice_line_ids', 'amount_total'],
    );
    expect((move?.partner_id as [number, string])[1]).toBe('Jane Roe');
    expect(move?.invoice_line_ids).toHaveLength(2);
    expect(move?.amount_total).toBeCloseTo(2.6);

    const [again] = await odoo.upsert('account.move', [invoice]);
    expect(again).toMatchObject({ ok: true, created: false, targetId: String(moveId) });
    expect(emulator.state.db.count('account.move.line')).toBe(2);
  });

  it('fails every record with the server error when a column is unknown', async () => {
    const outcomes = await odoo.upsert('res.partner', [
      { key: 'a', payload: { name: 'A', no_such_field: 'y' } },
      { key: 'b', payload: { name: 'B' } },
    ]);
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({
        ok: false,
        error: {
          class: 'permanent',
          code: 'odoo.unknown-field',
          message:
            "Odoo has no field 'no_such_field' on res.partner: check the mapping's target fields. Odoo said: KeyError: 'no_such_field'",
        },
      });
    }
  });

  it('reports an access error for a user without create rights', async () => {
    const demo = connectorFor(emulator.url, 'demo', { login: 'demo', authMethod: 'password' });
    const [outcome] = await demo.upsert('product.product', [{ key: 'x', payload: { name: 'X' } }]);
    await demo.close();
    // A missing right is an authorization problem of the connection's user, not of the record.
    expect(outcome).toMatchObject({
      ok: false,
      error: { class: 'authentication', code: 'odoo.AccessError' },
    });
    expect(outcome?.ok === false && outcome.error.message).toContain(
      "You are not allowed to create 'Product Variant'",
    );
  });

  it('returns nothing for an empty batch without calling Odoo', async () => {
    expect(await odoo.upsert('res.partner', [])).toEqual([]);
    expect(emulator.state.calls).toHaveLength(0);
  });
});

describe('create, write, server actions and Target.write', () => {
  it('creates and writes records and posts an invoice with action_post', async () => {
    const [partnerId] = await odoo.create('res.partner', [{ name: 'Clinic Supplier', is_company: true }]);
    expect(await odoo.write('res.partner', [partnerId!], { phone: '+32 2 000 00 00' })).toBe(true);
    const [moveId] = await odoo.create('account.move', [
      {
        move_type: 'in_invoice',
        partner_id: partnerId,
        invoice_date: '2024-07-02',
        invoice_line_ids: [[0, 0, { name: 'Gauze', quantity: 10, price_unit: 0.2 }]],
      },
    ]);
    await odoo.callMethod('account.move', 'action_post', [moveId!]);
    const [move] = emulator.state.db.read('account.move', [moveId!], ['state', 'name']);
    expect(move).toMatchObject({
      state: 'posted',
      name: 'BILL/2024/07/0001',
    });
    await expect(odoo.callMethod('account.move', 'action_post', [moveId!])).rejects.toMatchObject({
      class: 'permanent',
      code: 'odoo.UserError',
    });
    await expect(odoo.callMethod('ir.model.data', '_xmlid_to_res_id', [1])).rejects.toMatchObject({
      code: 'odoo.private-method',
    });
  });

  it('maps a missing record on write to a permanent MissingError', async () => {
    await expect(odoo.write('res.partner', [999_999], { name: 'x' })).rejects.toMatchObject({
      class: 'permanent',
      code: 'odoo.MissingError',
    });
  });

  it('serves the engine through Target.write with upsert, create and actions', async () => {
    const upserted = await odoo.write({
      operation: { model: 'res.partner' },
      records: [{ key: 'vendor_1', payload: { name: 'Vendor One', supplier_rank: 1 } }],
    });
    expect(upserted[0]).toMatchObject({ ok: true, created: true });
    const created = await odoo.write({
      operation: { model: 'stock.move', kind: 'create' },
      records: [
        {
          key: 'enc-1',
          payload: {
            name: 'Supply consumption ENC-1',
            product_id: 1,
            product_uom_qty: 2,
            location_id: 8,
            location_dest_id: 15,
          },
        },
        { key: 'enc-2', payload: { name: 'Missing product', location_id: 8, location_dest_id: 15 } },
      ],
    });
    expect(created[0]).toMatchObject({ ok: true, created: true });
    expect(created[1]).toMatchObject({
      ok: false,
      error: { class: 'permanent', code: 'odoo.required-field' },
    });
    const bad = await odoo.write({ operation: {}, records: [{ key: 'k', payload: {} }] });
    expect(bad[0]).toMatchObject({ ok: false, error: { class: 'configuration' } });
  });
});
