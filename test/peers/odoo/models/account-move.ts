import type { Database } from '../database.js';
import type { ModelDef, StoredRecord } from '../model-types.js';
import { userError } from '../odoo-error.js';
import { firstDraftNumber, linesOf, postMoves } from './move-posting.js';

/** account.move (invoices, vendor bills) and its lines. Taxes are not modelled. */

export function lineTotal(line: StoredRecord, qtyField: string): number {
  return Math.round(Number(line[qtyField] ?? 0) * Number(line.price_unit ?? 0) * 100) / 100;
}

/** A line's move type, for the product price Odoo takes (sales price on sales, cost on purchases). */
function moveType(line: StoredRecord, db: Database): string {
  return typeof line.move_id === 'number'
    ? String(db.record('account.move', line.move_id)?.move_type)
    : 'entry';
}

/**
 * 19.0 refuses to change these on a posted move (AccountMove.write); 17.0 lets write and load
 * change them. Listed in the order 19.0 names them in its message after a `load`.
 */
const POSTED_READONLY_19 = [
  'invoice_date',
  'date',
  'partner_id',
  'invoice_payment_term_id',
  'currency_id',
  'fiscal_position_id',
  'invoice_cash_rounding_id',
  'invoice_line_ids',
  'line_ids',
];

export const accountMoveModel: ModelDef = {
  name: 'account.move',
  beforeWrite: (record, values, db) => {
    if (db.series !== '19.0' || (values.state ?? record.state) !== 'posted') return;
    const locked = POSTED_READONLY_19.filter((name) => name in values);
    if (locked.length > 0)
      throw userError(
        `You cannot modify the following readonly fields on a posted move: ${locked.join(', ')}`,
      );
  },
  description: 'Journal Entry',
  order: 'date desc, name desc, invoice_date desc, id desc',
  fields: {
    name: { type: 'char', string: 'Number', fill: firstDraftNumber },
    date: {
      type: 'date',
      string: 'Date',
      required: true,
      fill: (record, db) =>
        typeof record.invoice_date === 'string' ? record.invoice_date : db.now().slice(0, 10),
    },
    move_type: {
      type: 'selection',
      string: 'Type',
      required: true,
      readonly: true,
      default: 'entry',
      selection: [
        ['entry', 'Journal Entry'],
        ['out_invoice', 'Customer Invoice'],
        ['out_refund', 'Customer Credit Note'],
        ['in_invoice', 'Vendor Bill'],
        ['in_refund', 'Vendor Credit Note'],
        ['out_receipt', 'Sales Receipt'],
        ['in_receipt', 'Purchase Receipt'],
      ],
    },
    partner_id: { type: 'many2one', string: 'Partner', relation: 'res.partner' },
    invoice_date: { type: 'date', string: 'Invoice/Bill Date' },
    ref: { type: 'char', string: 'Reference' },
    state: {
      type: 'selection',
      string: 'Status',
      required: true,
      readonly: true,
      default: 'draft',
      selection: [
        ['draft', 'Draft'],
        ['posted', 'Posted'],
        ['cancel', 'Cancelled'],
      ],
    },
    invoice_line_ids: {
      type: 'one2many',
      string: 'Invoice lines',
      relation: 'account.move.line',
      inverse: 'move_id',
    },
    // No taxes in the emulator: untaxed and total are the lines' sum (Odoo sums price_subtotal).
    amount_untaxed: {
      type: 'monetary',
      string: 'Untaxed Amount',
      compute: (record, db) =>
        linesOf(db, 'account.move.line', 'move_id', record.id).reduce(
          (sum, line) => sum + lineTotal(line, 'quantity'),
          0,
        ),
    },
    amount_total: {
      type: 'monetary',
      string: 'Total',
      compute: (record, db) =>
        linesOf(db, 'account.move.line', 'move_id', record.id).reduce(
          (sum, line) => sum + lineTotal(line, 'quantity'),
          0,
        ),
    },
  },
  // No lock date in a fresh database: Odoo 17 lets `write` and `load` change a posted entry (its
  // lines, amounts, partner, dates), and it stays posted. Only deleting it is refused.
  beforeUnlink: (ids, db) => {
    if (ids.some((id) => db.record('account.move', id)?.state === 'posted')) {
      throw userError(
        "You can't delete a posted journal item. Don\u2019t play games with your accounting records; reset the journal entry to draft before deleting it.",
      );
    }
  },
  methods: {
    action_post: postMoves,
    // Python's None: the JSON-RPC answer then has no `result` at all.
    button_draft: (db, ids, uid) => {
      db.write('account.move', ids, { state: 'draft' }, uid);
      return undefined;
    },
  },
};

export const accountMoveLineModel: ModelDef = {
  name: 'account.move.line',
  description: 'Journal Item',
  fields: {
    move_id: {
      type: 'many2one',
      string: 'Journal Entry',
      relation: 'account.move',
      required: true,
      readonly: true,
    },
    product_id: { type: 'many2one', string: 'Product', relation: 'product.product' },
    name: {
      type: 'char',
      string: 'Label',
      fill: (line, db) =>
        typeof line.product_id === 'number' ? db.displayName('product.product', line.product_id) : false,
    },
    quantity: { type: 'float', string: 'Quantity', default: 1 },
    price_unit: {
      type: 'float',
      string: 'Unit Price',
      fill: (line, db) => {
        const product =
          typeof line.product_id === 'number' ? db.record('product.product', line.product_id) : undefined;
        if (product === undefined) return 0;
        return Number(
          (moveType(line, db).startsWith('in') ? product.standard_price : product.list_price) ?? 0,
        );
      },
    },
    price_subtotal: {
      type: 'monetary',
      string: 'Subtotal',
      compute: (record) => lineTotal(record, 'quantity'),
    },
  },
};
