import { createOdooConnector } from '../../../main/connectors/odoo/index.js';
import type { OdooSettings } from '../../../shared/domain/connection.js';
import { SERVICES, SUPPLY_ITEMS } from '../fhir/clinic-catalogue.js';
import { DEMO_SUPPLIERS, productName } from './demo-mappings.js';

/**
 * The master data the demo flows refer to by external ID: one Odoo product per supply item and per
 * service, upserted through the Odoo connector (so it works the same against a real Odoo).
 */
export async function upsertDemoProducts(settings: OdooSettings, apiKey: string): Promise<number> {
  const odoo = createOdooConnector({
    connectionId: 'demo-master-data',
    settings,
    secrets: { read: () => Promise.resolve(apiKey) },
  });
  try {
    const rows = [
      ...SUPPLY_ITEMS.map((item) => ({
        key: productName(item.code),
        payload: {
          name: item.display,
          default_code: item.code,
          standard_price: item.unitCost,
          detailed_type: 'consu',
        },
      })),
      ...SERVICES.map((service) => ({
        key: productName(service.code),
        payload: {
          name: service.display,
          default_code: service.code,
          list_price: service.price,
          detailed_type: 'service',
        },
      })),
    ];
    const suppliers = Object.entries(DEMO_SUPPLIERS).map(([name, key]) => ({
      key,
      payload: { name, is_company: true, supplier_rank: 1 },
    }));
    const outcomes = [
      ...(await odoo.upsert('product.product', rows)),
      ...(await odoo.upsert('res.partner', suppliers)),
    ];
    const failed = outcomes.filter((outcome) => !outcome.ok);
    if (failed.length > 0)
      throw new Error(`Could not create the demo products: ${JSON.stringify(failed[0])}`);
    return outcomes.length;
  } finally {
    await odoo.close();
  }
}

/** Two purchase orders confirmed in Odoo, so the approvals flow has something to announce. */
export async function createDemoPurchaseOrders(settings: OdooSettings, apiKey: string): Promise<number[]> {
  const odoo = createOdooConnector({
    connectionId: 'demo-master-data',
    settings,
    secrets: { read: () => Promise.resolve(apiKey) },
  });
  try {
    const vendors = await odoo.lookupExternalIds(Object.values(DEMO_SUPPLIERS));
    const products = await odoo.lookupExternalIds(SUPPLY_ITEMS.map((item) => productName(item.code)));
    const vendorIds = [...vendors.values()].map((target) => target.resId);
    const productIds = [...products.values()].map((target) => target.resId);
    const ids = await odoo.create(
      'purchase.order',
      [0, 1].map((index) => ({
        partner_id: vendorIds[index % vendorIds.length],
        partner_ref: `PORTAL-${7001 + index}`,
        order_line: [
          [
            0,
            0,
            { product_id: productIds[index], name: 'Restock', product_qty: 10 + index, price_unit: 4.5 },
          ],
        ],
      })),
    );
    await odoo.callMethod('purchase.order', 'button_confirm', ids);
    return ids;
  } finally {
    await odoo.close();
  }
}
