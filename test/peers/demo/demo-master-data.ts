import { SERVICES, SUPPLY_ITEMS } from '../fhir/clinic-catalogue.js';
import { CONSUMPTION_LOCATION, DEMO_SUPPLIERS, MODULE, productName } from './demo-mappings.js';
import type { DemoOdooModels } from './demo-odoo-models.js';

/**
 * The master data the demo flows refer to by external ID, as data: the clinic's consumption
 * location, one product per supply item and per service, the supplier partners, and two purchase
 * orders for the approvals flow. Each item carries its own external ID (under the connection's
 * module), so preparing Odoo is "create what is missing" and a second start writes nothing. Each
 * item also says, in an Odoo user's words, what an administrator would create by hand. Where Odoo
 * versions differ (the product kind, the location's parent) the items follow what the server said
 * (demo-odoo-models.ts).
 */

export type MasterDataModel = 'stock.location' | 'product.product' | 'res.partner' | 'purchase.order';

export interface MasterDataItem {
  readonly model: MasterDataModel;
  /** External ID name under the connection's module (`osc_sync.<key>`). */
  readonly key: string;
  /** The record as Odoo's `load` takes it (references as `field/id`). */
  readonly payload: Readonly<Record<string, unknown>>;
  /** One line for an Odoo administrator: what to create, with which values. */
  readonly description: string;
}

/** The purchase orders the approvals flow announces (quantities and prices are the demo's own). */
export const DEMO_PURCHASE_ORDERS: readonly {
  readonly key: string;
  readonly vendorReference: string;
  readonly supplier: string;
  readonly itemCode: string;
  readonly quantity: number;
  readonly unitPrice: number;
}[] = [
  {
    key: 'purchase_order_portal_7001',
    vendorReference: 'PORTAL-7001',
    supplier: 'MediSupply GmbH',
    itemCode: 'SUP-GLOVE-M',
    quantity: 10,
    unitPrice: 4.5,
  },
  {
    key: 'purchase_order_portal_7002',
    vendorReference: 'PORTAL-7002',
    supplier: 'Hôpital Fournitures SARL',
    itemCode: 'SUP-SYRINGE-5ML',
    quantity: 11,
    unitPrice: 4.5,
  },
];

const xmlid = (key: string): string => `${MODULE}.${key}`;
const supplierKey = (name: string): string => {
  const key = DEMO_SUPPLIERS[name];
  if (key === undefined) throw new Error(`no demo supplier ${name}`);
  return key;
};

function locationItem({ locationParent: parent }: DemoOdooModels): MasterDataItem {
  const { key, name, usage } = CONSUMPTION_LOCATION;
  return {
    model: 'stock.location',
    key,
    payload: parent === null ? { name, usage } : { name, usage, 'location_id/id': parent.xmlid },
    description:
      `Inventory › Configuration › Locations: location "${name}", Location Type "Inventory Loss" ` +
      `(usage '${usage}'), ` +
      (parent === null
        ? `no Parent Location (this Odoo has no ${CONSUMPTION_LOCATION.parent})`
        : `Parent Location "${parent.name}" (${parent.xmlid})`) +
      `, external ID ${xmlid(key)}`,
  };
}

function productItems({ productKind: kind }: DemoOdooModels): MasterDataItem[] {
  const supplies = SUPPLY_ITEMS.map((item) => ({
    model: 'product.product' as const,
    key: productName(item.code),
    payload: {
      name: item.display,
      default_code: item.code,
      standard_price: item.unitCost,
      ...kind.supply,
    },
    description:
      `product "${item.display}", Internal Reference ${item.code}, ${kind.supplyWords}, ` +
      `Cost ${item.unitCost.toFixed(2)}, external ID ${xmlid(productName(item.code))}`,
  }));
  const services = SERVICES.map((service) => ({
    model: 'product.product' as const,
    key: productName(service.code),
    payload: {
      name: service.display,
      default_code: service.code,
      list_price: service.price,
      ...kind.service,
    },
    description:
      `product "${service.display}", Internal Reference ${service.code}, ${kind.serviceWords}, ` +
      `Sales Price ${service.price.toFixed(2)}, external ID ${xmlid(productName(service.code))}`,
  }));
  return [...supplies, ...services];
}

function supplierItems(): MasterDataItem[] {
  return Object.entries(DEMO_SUPPLIERS).map(([name, key]) => ({
    model: 'res.partner' as const,
    key,
    payload: { name, is_company: true, supplier_rank: 1 },
    description: `company contact "${name}" (a vendor), external ID ${xmlid(key)}`,
  }));
}

function purchaseOrderItems(): MasterDataItem[] {
  return DEMO_PURCHASE_ORDERS.map((order) => ({
    model: 'purchase.order' as const,
    key: order.key,
    payload: {
      'partner_id/id': xmlid(supplierKey(order.supplier)),
      partner_ref: order.vendorReference,
      order_line: [
        {
          'product_id/id': xmlid(productName(order.itemCode)),
          name: 'Restock',
          product_qty: order.quantity,
          price_unit: order.unitPrice,
        },
      ],
    },
    description:
      `confirmed purchase order from "${order.supplier}", Vendor Reference ${order.vendorReference}, ` +
      `${order.quantity} × ${order.itemCode} at ${order.unitPrice.toFixed(2)}, external ID ${xmlid(order.key)}`,
  }));
}

/**
 * Every item, in the order they must be created: what a record refers to comes before it (the
 * purchase orders name suppliers and products).
 */
export function demoMasterData(models: DemoOdooModels): MasterDataItem[] {
  return [locationItem(models), ...productItems(models), ...supplierItems(), ...purchaseOrderItems()];
}
