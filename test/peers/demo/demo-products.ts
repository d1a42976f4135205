import { createOdooConnector } from '../../../main/connectors/odoo/index.js';
import type { OdooSettings } from '../../../shared/domain/connection.js';
import { SERVICES, SUPPLY_ITEMS } from '../fhir/clinic-catalogue.js';
import { productName } from './demo-mappings.js';

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
    const outcomes = await odoo.upsert('product.product', rows);
    const failed = outcomes.filter((outcome) => !outcome.ok);
    if (failed.length > 0)
      throw new Error(`Could not create the demo products: ${JSON.stringify(failed[0])}`);
    return outcomes.length;
  } finally {
    await odoo.close();
  }
}
