import type { Database } from '../database.js';
import type { ModelDef, StoredRecord } from '../model-types.js';
import { userError } from '../odoo-error.js';

/** account.move with its lines (invoices, vendor bills) and purchase.order with its lines. */

function linesOf(db: Database, model: string, inverse: string, parentId: number): StoredRecord[] {
  return db.idsWithValue(model, inverse, parentId).map((id) => db.record(model, id) as StoredRecord);
}

function lineTotal(line: StoredRecord, qtyField: string): number {
  return Math.round(Number(line[qtyField] ?? 0) * Number(line.price_unit ?? 0) * 100) / 100;
}

const MOVE_TYPE_LABELS: Readonly<Record<string, string>> = {
  out_invoice: 'Customer Invoice',
  in_invoice: 'Vendor Bill',
  out_refund: 'Customer Credit Note',
  in_refund: 'Vendor Credit Note',
};

const SEQUENCE_PREFIX: Readonly<Record<string, string>> = {
  out_invoice: 'INV',
  in_invoice: 'BILL',
  out_refund: 'RINV',
  in_refund: 'RBILL',
};

function postMoves(db: Database, ids: readonly number[], uid: number): boolean {
  for (const move of db.browse('account.move', ids, uid)) {
    if (move.state === 'posted')
      throw userError(`The entry ${String(move.name)} (id ${move.id}) is already posted.`);
    const type = String(move.move_type);
    const label = MOVE_TYPE_LABELS[type];
    if (label !== undefined && typeof move.partner_id !== 'number') {
      throw userError(
        `The field '${type.startsWith('out') ? 'Customer' : 'Vendor'}' is required, please complete it to validate the ${label}.`,
      );
    }
    if (linesOf(db, 'account.move.line', 'move_id', move.id).length === 0)
      throw userError('You need to add a line before posting.');
    const prefix = SEQUENCE_PREFIX[type] ?? 'MISC';
    const year = db.now().slice(0, 4);
    const sequence =
      db.idsWhere('account.move', (row) => row.state === 'posted' && row.move_type === type).length + 1;
    db.write(
      'account.move',
      [move.id],
      { state: 'posted', name: `${prefix}/${year}/${String(sequence).padStart(5, '0')}` },
      uid,
    );
  }
  return true;
}

export const accountMoveModel: ModelDef = {
  name: 'account.move',
  description: 'Journal Entry',
  managerGroup: 'Accounting/Billing',
  fields: {
    name: { type: 'char', string: 'Number', default: '/' },
    move_type: {
      type: 'selection',
      string: 'Type',
      default: 'entry',
      selection: [
        ['entry', 'Journal Entry'],
        ['out_invoice', 'Customer Invoice'],
        ['in_invoice', 'Vendor Bill'],
        ['out_refund', 'Customer Credit Note'],
        ['in_refund', 'Vendor Credit Note'],
      ],
    },
    partner_id: { type: 'many2one', string: 'Partner', relation: 'res.partner' },
    invoice_date: { type: 'date', string: 'Invoice/Bill Date' },
    ref: { type: 'char', string: 'Reference' },
    state: {
      type: 'selection',
      string: 'Status',
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
  beforeWrite: (record, values) => {
    const onlyState = Object.keys(values).every((key) => key === 'state' || key === 'name');
    if (record.state === 'posted' && !onlyState)
      throw userError('You cannot modify a posted entry; reset it to draft first.');
  },
  methods: {
    action_post: postMoves,
    button_draft: (db, ids, uid) => {
      db.write('account.move', ids, { state: 'draft' }, uid);
      return true;
    },
  },
};

export const accountMoveLineModel: ModelDef = {
  name: 'account.move.line',
  description: 'Journal Item',
  managerGroup: 'Accounting/Billing',
  fields: {
    move_id: { type: 'many2one', string: 'Journal Entry', relation: 'account.move', required: true },
    product_id: { type: 'many2one', string: 'Product', relation: 'product.product' },
    name: { type: 'char', string: 'Label' },
    quantity: { type: 'float', string: 'Quantity', default: 1 },
    price_unit: { type: 'float', string: 'Unit Price' },
    price_subtotal: {
      type: 'monetary',
      string: 'Subtotal',
      compute: (record) => lineTotal(record, 'quantity'),
    },
  },
};

export const purchaseOrderModel: ModelDef = {
  name: 'purchase.order',
  description: 'Purchase Order',
  managerGroup: 'Purchase/User',
  fields: {
    name: { type: 'char', string: 'Order Reference', default: 'New' },
    partner_id: { type: 'many2one', string: 'Vendor', relation: 'res.partner', required: true },
    partner_ref: { type: 'char', string: 'Vendor Reference' },
    date_order: { type: 'datetime', string: 'Order Deadline' },
    date_approve: { type: 'datetime', string: 'Confirmation Date' },
    state: {
      type: 'selection',
      string: 'Status',
      default: 'draft',
      selection: [
        ['draft', 'RFQ'],
        ['sent', 'RFQ Sent'],
        ['to approve', 'To Approve'],
        ['purchase', 'Purchase Order'],
        ['done', 'Locked'],
        ['cancel', 'Cancelled'],
      ],
    },
    order_line: {
      type: 'one2many',
      string: 'Order Lines',
      relation: 'purchase.order.line',
      inverse: 'order_id',
    },
    amount_total: {
      type: 'monetary',
      string: 'Total',
      compute: (record, db) =>
        linesOf(db, 'purchase.order.line', 'order_id', record.id).reduce(
          (sum, line) => sum + lineTotal(line, 'product_qty'),
          0,
        ),
    },
  },
  methods: {
    button_confirm: (db, ids, uid) => {
      for (const order of db.browse('purchase.order', ids, uid)) {
        if (order.state !== 'draft' && order.state !== 'sent') continue;
        db.write('purchase.order', [order.id], { state: 'purchase', date_approve: db.now() }, uid);
      }
      return true;
    },
    button_cancel: (db, ids, uid) => {
      db.write('purchase.order', ids, { state: 'cancel' }, uid);
      return true;
    },
  },
};

export const purchaseOrderLineModel: ModelDef = {
  name: 'purchase.order.line',
  description: 'Purchase Order Line',
  managerGroup: 'Purchase/User',
  fields: {
    order_id: { type: 'many2one', string: 'Order Reference', relation: 'purchase.order', required: true },
    product_id: { type: 'many2one', string: 'Product', relation: 'product.product', required: true },
    name: { type: 'char', string: 'Description' },
    product_qty: { type: 'float', string: 'Quantity', default: 1 },
    price_unit: { type: 'float', string: 'Unit Price' },
  },
};
