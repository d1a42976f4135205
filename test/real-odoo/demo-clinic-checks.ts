import { expect } from 'vitest';
import type { OdooRpcClient } from '../peers/real-odoo/admin-rpc.js';
import type { ExpectedInvoice, ExpectedMove, ExpectedPartner } from './demo-clinic-expected.js';
import { idOf, m2oId, readById, type XmlidTarget } from './demo-clinic-odoo.js';

/**
 * Assertions that one flow's records in the real Odoo are exactly the expected ones: found by
 * their external IDs, field by field, and nothing more of their kind.
 */

type Xmlids = ReadonlyMap<string, XmlidTarget>;

const round2 = (value: number): number => Math.round((value + Number.EPSILON) * 100) / 100;

export async function checkPartners(
  admin: OdooRpcClient,
  xmlids: Xmlids,
  expected: readonly ExpectedPartner[],
) {
  const ids = expected.map((partner) => idOf(xmlids, partner.xmlid, 'res.partner'));
  const rows = await readById(admin, 'res.partner', ids, ['name', 'ref', 'is_company']);
  expected.forEach((partner, index) => {
    expect(rows.get(ids[index] ?? 0), partner.xmlid).toMatchObject({
      name: partner.name,
      ref: partner.ref,
      is_company: false,
    });
  });
  const patientXmlids = [...xmlids.keys()].filter((name) => name.startsWith('osc_sync.patient_'));
  expect(patientXmlids).toHaveLength(expected.length);
}

export async function checkMoves(
  admin: OdooRpcClient,
  xmlids: Xmlids,
  expected: readonly ExpectedMove[],
  /** Odoo 17's `name`; Odoo 19's stock.move has no name, its description is description_picking. */
  descriptionField: 'name' | 'description_picking',
  locations: { stock: number; consumption: number },
) {
  const ids = expected.map((move) => idOf(xmlids, move.xmlid, 'stock.move'));
  const rows = await readById(admin, 'stock.move', ids, [
    descriptionField,
    'product_uom_qty',
    'quantity',
    'origin',
    'product_id',
    'location_id',
    'location_dest_id',
    'state',
  ]);
  expected.forEach((move, index) => {
    const row = rows.get(ids[index] ?? 0);
    expect(row, move.xmlid).toMatchObject({
      [descriptionField]: move.name,
      product_uom_qty: move.quantity,
      quantity: move.quantity,
      origin: move.origin,
      state: 'draft',
    });
    expect(m2oId(row?.product_id), move.xmlid).toBe(idOf(xmlids, move.productXmlid, 'product.product'));
    expect(m2oId(row?.location_id), move.xmlid).toBe(locations.stock);
    expect(m2oId(row?.location_dest_id), move.xmlid).toBe(locations.consumption);
  });
  expect(await admin.searchCount('stock.move', [['location_dest_id', '=', locations.consumption]])).toBe(
    expected.length,
  );
}

/** Percent taxes (not included in the price) of Odoo's own configuration, by id. */
async function taxRates(admin: OdooRpcClient, ids: readonly number[]): Promise<Map<number, number>> {
  if (ids.length === 0) return new Map();
  const rows = await readById(
    admin,
    'account.tax',
    [...new Set(ids)],
    ['amount', 'amount_type', 'price_include'],
  );
  for (const row of rows.values())
    if (row.amount_type !== 'percent' || row.price_include !== false)
      throw new Error(`tax ${String(row.id)} is not a plain percent tax: extend the check`);
  return new Map([...rows].map(([id, row]) => [id, Number(row.amount)]));
}

/**
 * Customer invoices or vendor bills: header, the one product line per record with its quantity and
 * price from the seed, and the amounts Odoo computed (untaxed from the seed; taxes at the rates of
 * the taxes Odoo put on the line).
 */
export async function checkInvoices(
  admin: OdooRpcClient,
  xmlids: Xmlids,
  expected: readonly ExpectedInvoice[],
  moveType: 'out_invoice' | 'in_invoice',
) {
  const ids = expected.map((invoice) => idOf(xmlids, invoice.xmlid, 'account.move'));
  const moves = await readById(admin, 'account.move', ids, [
    'move_type',
    'ref',
    'partner_id',
    'invoice_date',
    'state',
    'amount_untaxed',
    'amount_total',
  ]);
  const lines = await admin.searchRead(
    'account.move.line',
    [
      ['move_id', 'in', ids],
      ['display_type', '=', 'product'],
    ],
    ['move_id', 'name', 'quantity', 'price_unit', 'product_id', 'tax_ids', 'price_subtotal'],
  );
  const rates = await taxRates(
    admin,
    lines.flatMap((line) => line.tax_ids as number[]),
  );
  expected.forEach((invoice, index) => {
    const id = ids[index] ?? 0;
    const move = moves.get(id);
    expect(move, invoice.xmlid).toMatchObject({ move_type: moveType, ref: invoice.ref, state: 'draft' });
    expect(invoice.invoiceDates, invoice.xmlid).toContain(move?.invoice_date);
    expect(m2oId(move?.partner_id), invoice.xmlid).toBe(idOf(xmlids, invoice.partnerXmlid, 'res.partner'));
    const own = lines.filter((line) => m2oId(line.move_id) === id);
    expect(
      own.map((line) => ({ name: line.name, quantity: line.quantity, price_unit: line.price_unit })),
      invoice.xmlid,
    ).toEqual(
      invoice.lines.map((line) => ({ name: line.name, quantity: line.quantity, price_unit: line.priceUnit })),
    );
    invoice.lines.forEach((line, position) => {
      if (line.productXmlid === undefined) return;
      expect(m2oId(own[position]?.product_id), invoice.xmlid).toBe(
        idOf(xmlids, line.productXmlid, 'product.product'),
      );
    });
    const untaxed = round2(invoice.lines.reduce((sum, line) => sum + line.quantity * line.priceUnit, 0));
    const taxes = own.reduce((sum, line) => {
      const subtotal = Number(line.price_subtotal);
      return (
        sum +
        (line.tax_ids as number[]).reduce(
          (lineSum, tax) => lineSum + round2((subtotal * (rates.get(tax) ?? Number.NaN)) / 100),
          0,
        )
      );
    }, 0);
    expect(move?.amount_untaxed, invoice.xmlid).toBeCloseTo(untaxed, 2);
    expect(move?.amount_total, invoice.xmlid).toBeCloseTo(round2(untaxed + taxes), 2);
  });
  expect(await admin.searchCount('account.move', [['move_type', '=', moveType]])).toBe(expected.length);
}
