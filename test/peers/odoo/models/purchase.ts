import type { ModelDef } from '../model-types.js';
import { lineTotal } from './account-move.js';
import { linesOf } from './move-posting.js';

/** purchase.order with its lines, and the confirm/cancel buttons the demo clinic uses. */

export const purchaseOrderModel: ModelDef = {
  name: 'purchase.order',
  description: 'Purchase Order',
  order: 'priority desc, id desc',
  fields: {
    name: { type: 'char', string: 'Order Reference', required: true, default: 'New' },
    priority: {
      type: 'selection',
      string: 'Priority',
      default: '0',
      selection: [
        ['0', 'Normal'],
        ['1', 'Urgent'],
      ],
    },
    partner_id: { type: 'many2one', string: 'Vendor', relation: 'res.partner', required: true },
    partner_ref: { type: 'char', string: 'Vendor Reference' },
    date_order: {
      type: 'datetime',
      string: 'Order Deadline',
      required: true,
      fill: (_order, db) => db.now(),
    },
    date_approve: { type: 'datetime', string: 'Confirmation Date', readonly: true },
    state: {
      type: 'selection',
      string: 'Status',
      readonly: true,
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
      return undefined;
    },
  },
};

export const purchaseOrderLineModel: ModelDef = {
  name: 'purchase.order.line',
  description: 'Purchase Order Line',
  order: 'order_id, sequence, id',
  fields: {
    order_id: { type: 'many2one', string: 'Order Reference', relation: 'purchase.order', required: true },
    sequence: { type: 'integer', string: 'Sequence', default: 10 },
    product_id: { type: 'many2one', string: 'Product', relation: 'product.product' },
    // Odoo fills the description and the price from the product when they are not given.
    name: {
      type: 'text',
      string: 'Description',
      required: true,
      fill: (line, db) =>
        typeof line.product_id === 'number' ? db.displayName('product.product', line.product_id) : false,
    },
    product_qty: { type: 'float', string: 'Quantity', required: true, default: 1 },
    price_unit: {
      type: 'float',
      string: 'Unit Price',
      required: true,
      fill: (line, db) =>
        typeof line.product_id === 'number'
          ? Number(db.record('product.product', line.product_id)?.standard_price ?? 0)
          : false,
    },
  },
};
