import { describe, expect, it } from 'vitest';
import { diffPayloads, topField, withOdooValues } from '../../../main/engine/shadow/field-diff.js';

/** The field-by-field comparison behind a shadow run's report (main/engine/shadow/field-diff.ts). */
describe('shadow field comparison', () => {
  const invoice = {
    move_type: 'out_invoice',
    ref: 'charge-1',
    invoice_date: '2026-11-30',
    'partner_id/id': 'osc.patient_1',
    invoice_line_ids: [
      { name: 'Consultation', quantity: 1, price_unit: 40 },
      { name: 'Dressing', quantity: 2, price_unit: 5.5 },
    ],
  };

  it('equal payloads have no differences, whatever the key order', () => {
    const reordered = Object.fromEntries(Object.entries(invoice).reverse());
    expect(diffPayloads(invoice, reordered)).toEqual([]);
  });

  it('names exactly the changed field, with both values', () => {
    expect(diffPayloads(invoice, { ...invoice, ref: 'HIGH-charge-1' })).toEqual([
      { path: 'ref', active: 'charge-1', shadow: 'HIGH-charge-1' },
    ]);
    expect(diffPayloads(invoice, { ...invoice, 'partner_id/id': 'osc.patient_2' })).toEqual([
      { path: 'partner_id/id', active: 'osc.patient_1', shadow: 'osc.patient_2' },
    ]);
  });

  it('goes into one2many lines by position and names the leaf', () => {
    const lines = structuredClone(invoice.invoice_line_ids);
    lines[1]!.price_unit = 6;
    expect(diffPayloads(invoice, { ...invoice, invoice_line_ids: lines })).toEqual([
      { path: 'invoice_line_ids[1].price_unit', active: 5.5, shadow: 6 },
    ]);
    expect(
      diffPayloads(invoice, { ...invoice, invoice_line_ids: invoice.invoice_line_ids.slice(0, 1) }),
    ).toEqual([
      {
        path: 'invoice_line_ids[1]',
        active: invoice.invoice_line_ids[1],
        shadow: null,
        shadowMissing: true,
      },
    ]);
  });

  it('tells an absent field from a null one, on either side', () => {
    const { ref: _dropped, ...withoutRef } = invoice;
    expect(diffPayloads(invoice, withoutRef)).toEqual([
      { path: 'ref', active: 'charge-1', shadow: null, shadowMissing: true },
    ]);
    expect(diffPayloads(withoutRef, { ...withoutRef, narration: 'new' })).toEqual([
      { path: 'narration', active: null, shadow: 'new', activeMissing: true },
    ]);
    expect(diffPayloads({ ...invoice, narration: null }, { ...invoice, narration: 'x' })).toEqual([
      { path: 'narration', active: null, shadow: 'x' },
    ]);
  });

  it('compares numbers by value and types strictly (1 is not "1", 0 is not false)', () => {
    expect(diffPayloads({ q: 1 }, { q: 1.0 })).toEqual([]);
    expect(diffPayloads({ q: 1 }, { q: '1' })).toEqual([{ path: 'q', active: 1, shadow: '1' }]);
    expect(diffPayloads({ q: 0 }, { q: false })).toEqual([{ path: 'q', active: 0, shadow: false }]);
    expect(diffPayloads({ q: { a: 1 } }, { q: [1] })).toEqual([{ path: 'q', active: { a: 1 }, shadow: [1] }]);
  });

  it("adds Odoo's current value to plain top-level fields only", () => {
    const diffs = diffPayloads(
      { ref: 'a', 'partner_id/id': 'x', lines: [{ p: 1 }] },
      { ref: 'b', 'partner_id/id': 'y', lines: [{ p: 2 }] },
    );
    expect(withOdooValues(diffs, { id: 7, ref: 'a', partner_id: [3, 'P'] })).toEqual([
      { path: 'ref', active: 'a', shadow: 'b', odoo: 'a' },
      { path: 'partner_id/id', active: 'x', shadow: 'y' },
      { path: 'lines[0].p', active: 1, shadow: 2 },
    ]);
    expect(withOdooValues(diffs, undefined)).toEqual(diffs);
    expect(topField('invoice_line_ids[0].name')).toBe('invoice_line_ids');
  });
});
