import type { FieldDef, ModelDef } from '../model-types.js';
import { apiKeysModel, apiKeysModel19, partnerModel, uomModel } from './base-models.js';
import { locationModel, productModel, stockMoveModel } from './product-stock.js';
import { purchaseOrderModel } from './purchase.js';

/**
 * Where Odoo 19.0's models differ from 17.0's, as its fields_get answers on the real server
 * (test/real-odoo/emulator-contract.test.ts) and its source say: the product kind is `type`
 * (consu "Goods" / service / combo) plus the stock app's `is_storable` instead of `detailed_type`;
 * stock.move has no `name` any more; some selection labels and strings were reworded.
 */

function changed(
  model: ModelDef,
  fields: Readonly<Record<string, FieldDef>>,
  removed: readonly string[] = [],
): ModelDef {
  const kept = Object.entries(model.fields).filter(([name]) => !removed.includes(name));
  return { ...model, fields: { ...Object.fromEntries(kept), ...fields } };
}

function relabel(field: FieldDef | undefined, labels: Readonly<Record<string, string>>): FieldDef {
  if (field?.selection === undefined) throw new Error('Emulator: relabel needs a selection field');
  return {
    ...field,
    selection: field.selection.map(([value, label]) => [value, labels[value] ?? label] as const),
  };
}

const product19 = changed(
  productModel,
  {
    type: {
      type: 'selection',
      string: 'Product Type',
      required: true,
      default: 'consu',
      selection: [
        ['consu', 'Goods'],
        ['service', 'Service'],
        ['combo', 'Combo'],
      ],
    },
    is_storable: { type: 'boolean', string: 'Track Inventory', default: false },
    sale_ok: { ...productModel.fields.sale_ok!, string: 'Sales' },
    purchase_ok: { ...productModel.fields.purchase_ok!, string: 'Purchase' },
    uom_id: { ...productModel.fields.uom_id!, string: 'Unit' },
    // Writable in 19.0 (an inverse sets the stock); still kept as seeded here.
    qty_available: { ...productModel.fields.qty_available!, readonly: false },
  },
  ['detailed_type'],
);

const stockMove19 = changed(
  stockMoveModel,
  {
    location_dest_id: { ...stockMoveModel.fields.location_dest_id!, string: 'Intermediate Location' },
    state: relabel(stockMoveModel.fields.state, { confirmed: 'Waiting' }),
  },
  ['name'],
);

const replacements = new Map<ModelDef, ModelDef>([
  [apiKeysModel, apiKeysModel19],
  [productModel, product19],
  [stockMoveModel, stockMove19],
  [
    partnerModel,
    changed(partnerModel, {
      type: relabel(partnerModel.fields.type, { invoice: 'Invoice', delivery: 'Delivery', other: 'Other' }),
    }),
  ],
  [
    locationModel,
    changed(locationModel, {
      usage: relabel(locationModel.fields.usage, {
        supplier: 'Vendor',
        view: 'Virtual',
        internal: 'Internal',
        customer: 'Customer',
        transit: 'Transit',
      }),
    }),
  ],
  [uomModel, changed(uomModel, { name: { ...uomModel.fields.name!, string: 'Unit Name' } })],
  [
    purchaseOrderModel,
    changed(purchaseOrderModel, {
      state: {
        ...purchaseOrderModel.fields.state!,
        selection: purchaseOrderModel.fields.state!.selection?.filter(([value]) => value !== 'done'),
      },
    }),
  ],
]);

/** A 17.0 model as Odoo 19.0 has it. */
export function asOdoo19(model: ModelDef): ModelDef {
  return replacements.get(model) ?? model;
}
