import type { ModelDef } from '../model-types.js';

/** product.product (its template folded in), stock.location and stock.move. */

export const productModel: ModelDef = {
  name: 'product.product',
  description: 'Product Variant',
  managerGroup: 'Inventory/Administrator',
  requiredErrorModel: { name: 'product.template', description: 'Product' },
  fields: {
    name: { type: 'char', string: 'Name', required: true },
    default_code: { type: 'char', string: 'Internal Reference' },
    barcode: { type: 'char', string: 'Barcode' },
    list_price: { type: 'float', string: 'Sales Price', default: 1 },
    standard_price: { type: 'float', string: 'Cost' },
    detailed_type: {
      type: 'selection',
      string: 'Product Type',
      default: 'consu',
      selection: [
        ['consu', 'Consumable'],
        ['service', 'Service'],
        ['product', 'Storable Product'],
      ],
    },
    sale_ok: { type: 'boolean', string: 'Can be Sold', default: true },
    purchase_ok: { type: 'boolean', string: 'Can be Purchased', default: true },
    active: { type: 'boolean', string: 'Active', default: true },
    uom_id: { type: 'many2one', string: 'Unit of Measure', relation: 'uom.uom', default: 1 },
    qty_available: { type: 'float', string: 'Quantity On Hand' },
    virtual_available: { type: 'float', string: 'Forecasted Quantity' },
    product_tmpl_id: {
      type: 'many2one',
      string: 'Product Template',
      relation: 'product.product',
      // The emulator folds template and variant into one record: the template id is the variant's.
      compute: (record, db) => [record.id, db.displayName('product.product', record.id)],
    },
  },
  displayName: (record) =>
    typeof record.default_code === 'string' && record.default_code !== ''
      ? `[${record.default_code}] ${String(record.name)}`
      : String(record.name),
};

export const locationModel: ModelDef = {
  name: 'stock.location',
  description: 'Inventory Locations',
  managerGroup: 'Inventory/Administrator',
  fields: {
    name: { type: 'char', string: 'Location Name', required: true },
    usage: {
      type: 'selection',
      string: 'Location Type',
      default: 'internal',
      selection: [
        ['supplier', 'Vendor Location'],
        ['internal', 'Internal Location'],
        ['customer', 'Customer Location'],
        ['inventory', 'Inventory Loss'],
      ],
    },
  },
};

export const stockMoveModel: ModelDef = {
  name: 'stock.move',
  description: 'Stock Move',
  managerGroup: 'Inventory/User',
  fields: {
    name: { type: 'char', string: 'Description', required: true },
    reference: { type: 'char', string: 'Reference' },
    origin: { type: 'char', string: 'Source Document' },
    product_id: { type: 'many2one', string: 'Product', relation: 'product.product', required: true },
    product_uom_qty: { type: 'float', string: 'Demand' },
    quantity: { type: 'float', string: 'Quantity' },
    location_id: { type: 'many2one', string: 'Source Location', relation: 'stock.location', required: true },
    location_dest_id: {
      type: 'many2one',
      string: 'Destination Location',
      relation: 'stock.location',
      required: true,
    },
    partner_id: { type: 'many2one', string: 'Destination Address', relation: 'res.partner' },
    state: {
      type: 'selection',
      string: 'Status',
      default: 'draft',
      selection: [
        ['draft', 'New'],
        ['confirmed', 'Waiting Availability'],
        ['done', 'Done'],
        ['cancel', 'Cancelled'],
      ],
    },
  },
};
