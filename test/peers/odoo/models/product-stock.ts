import type { Database } from '../database.js';
import type { ModelDef } from '../model-types.js';

/** product.product (its template folded in), stock.location and stock.move. */

export const productModel: ModelDef = {
  name: 'product.product',
  description: 'Product Variant',
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
      required: true,
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
    uom_id: { type: 'many2one', string: 'Unit of Measure', relation: 'uom.uom', required: true, default: 1 },
    // Computed from stock in Odoo; the emulator keeps what the seed says (read-only all the same).
    qty_available: { type: 'float', string: 'Quantity On Hand', readonly: true },
    virtual_available: { type: 'float', string: 'Forecasted Quantity', readonly: true },
    product_tmpl_id: {
      type: 'many2one',
      string: 'Product Template',
      relation: 'product.template',
      required: true,
      readonly: false,
      // The emulator folds template and variant into one record: the template id is the variant's.
      compute: (record, db) => [record.id, db.displayName('product.product', record.id)],
    },
  },
  displayName: (record) =>
    typeof record.default_code === 'string' && record.default_code !== ''
      ? `[${record.default_code}] ${String(record.name)}`
      : String(record.name),
  order: 'default_code, name, id',
};

/** stock.location's complete_name: a view is named alone, anything else after its parent. */
function locationPath(db: Database, id: number, depth = 0): string {
  const record = db.record('stock.location', id);
  if (record === undefined) return '';
  const name = String(record.name);
  const parent = record.location_id;
  if (typeof parent !== 'number' || record.usage === 'view' || depth > 20) return name;
  return `${locationPath(db, parent, depth + 1)}/${name}`;
}

export const locationModel: ModelDef = {
  name: 'stock.location',
  description: 'Inventory Locations',
  order: 'complete_name, id',
  fields: {
    name: { type: 'char', string: 'Location Name', required: true },
    complete_name: {
      type: 'char',
      string: 'Full Location Name',
      compute: (record, db) => locationPath(db, record.id),
    },
    usage: {
      type: 'selection',
      string: 'Location Type',
      required: true,
      default: 'internal',
      selection: [
        ['supplier', 'Vendor Location'],
        ['view', 'View'],
        ['internal', 'Internal Location'],
        ['customer', 'Customer Location'],
        ['inventory', 'Inventory Loss'],
        ['production', 'Production'],
        ['transit', 'Transit Location'],
      ],
    },
    location_id: { type: 'many2one', string: 'Parent Location', relation: 'stock.location' },
    active: { type: 'boolean', string: 'Active', default: true },
  },
  displayName: (record, db) => locationPath(db, record.id),
};

export const stockMoveModel: ModelDef = {
  name: 'stock.move',
  description: 'Stock Move',
  order: 'sequence, id',
  // stock.move's unlink() reads its move lines before BaseModel.unlink checks the right.
  unlinkReadsFirst: true,
  fields: {
    name: { type: 'char', string: 'Description', required: true },
    reference: { type: 'char', string: 'Reference', readonly: true },
    sequence: { type: 'integer', string: 'Sequence', default: 10 },
    origin: { type: 'char', string: 'Source Document' },
    product_id: { type: 'many2one', string: 'Product', relation: 'product.product', required: true },
    product_uom_qty: { type: 'float', string: 'Demand', required: true, default: 1 },
    quantity: { type: 'float', string: 'Quantity' },
    location_id: { type: 'many2one', string: 'Source Location', relation: 'stock.location', required: true },
    location_dest_id: {
      type: 'many2one',
      string: 'Destination Location',
      relation: 'stock.location',
      required: true,
    },
    partner_id: { type: 'many2one', string: 'Destination Address ', relation: 'res.partner' },
    state: {
      type: 'selection',
      string: 'Status',
      default: 'draft',
      readonly: true,
      selection: [
        ['draft', 'New'],
        ['waiting', 'Waiting Another Move'],
        ['confirmed', 'Waiting Availability'],
        ['partially_available', 'Partially Available'],
        ['assigned', 'Available'],
        ['done', 'Done'],
        ['cancel', 'Cancelled'],
      ],
    },
  },
};
