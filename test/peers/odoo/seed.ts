import { ADMIN_GROUPS, INTEGRATION_GROUPS } from './access-rights.js';
import type { EmulatorState, EmulatorUser } from './emulator-state.js';

/**
 * Seeding: the base records every Odoo database has (company, admin and demo users, countries, a
 * unit of measure, the stock locations of a fresh Odoo 17 with stock installed, with their real ids
 * and external ids) and a hook that takes plain data, used by tests and by the demo clinic
 * (`npm run demo`). References between seeded records use external ids, as `load` does.
 */

export interface SeedRecord {
  /** External id (`module.name`) to bind to the record, so flows and other seeds can refer to it. */
  readonly xmlid?: string;
  /** Force the database id (to line up with recorded fixtures). */
  readonly id?: number;
  /** Field values; a key `field/id` takes the external id of a many2one target. */
  readonly values: Readonly<Record<string, unknown>>;
}

export interface SeedData {
  /** Records per model, created in the order given (models in insertion order). */
  readonly records?: Readonly<Record<string, readonly SeedRecord[]>>;
  /** The next id each model hands out, e.g. { 'res.partner': 43 }. */
  readonly nextIds?: Readonly<Record<string, number>>;
}

export function seedOdoo(state: EmulatorState, data: SeedData): void {
  for (const [model, records] of Object.entries(data.records ?? {})) {
    for (const record of records) {
      const values: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(record.values)) {
        if (!key.endsWith('/id')) {
          values[key] = value;
          continue;
        }
        const target = state.resolveXmlid(String(value));
        if (target === null)
          throw new Error(
            `Seed: ${model} ${record.xmlid ?? ''} refers to unknown external id ${String(value)}`,
          );
        values[key.slice(0, -3)] = target.resId;
      }
      const id = state.db.create(model, values, 1, record.id);
      if (record.xmlid !== undefined) state.bindXmlid(record.xmlid, model, id, 1);
    }
  }
  for (const [model, nextId] of Object.entries(data.nextIds ?? {})) state.db.reserveIds(model, nextId);
}

export const ADMIN_UID = 2;
export const DEMO_UID = 6;

/**
 * admin has every right; demo is the least-privilege integration user of the real-Odoo harness
 * (contacts, invoicing, inventory and purchase users: no ir.model.data, no products, no locations).
 */
export function baseUsers(adminPassword: string): EmulatorUser[] {
  return [
    {
      uid: ADMIN_UID,
      login: 'admin',
      name: 'Mitchell Admin',
      password: adminPassword,
      groups: ADMIN_GROUPS,
      partnerId: 3,
    },
    {
      uid: DEMO_UID,
      login: 'demo',
      name: 'Marc Demo',
      password: 'demo',
      groups: INTEGRATION_GROUPS,
      partnerId: 7,
    },
  ];
}

/** A location as a fresh Odoo 17 has it: id, name, type, parent, archived or not, external id. */
function location(
  id: number,
  name: string,
  usage: string,
  parent: number | false,
  options: { xmlid?: string; active?: boolean } = {},
): SeedRecord {
  return {
    id,
    ...(options.xmlid === undefined ? {} : { xmlid: options.xmlid }),
    values: { name, usage, location_id: parent, active: options.active ?? true },
  };
}

export const BASE_SEED: SeedData = {
  records: {
    'res.country': [
      { id: 233, xmlid: 'base.us', values: { name: 'United States', code: 'US' } },
      { id: 20, xmlid: 'base.be', values: { name: 'Belgium', code: 'BE' } },
      { id: 75, xmlid: 'base.fr', values: { name: 'France', code: 'FR' } },
    ],
    'res.partner': [
      {
        id: 1,
        xmlid: 'base.main_partner',
        values: {
          name: 'My Company (San Francisco)',
          is_company: true,
          email: 'info@yourcompany.com',
          'country_id/id': 'base.us',
        },
      },
      {
        id: 3,
        xmlid: 'base.partner_admin',
        values: { name: 'Mitchell Admin', email: 'admin@yourcompany.example.com' },
      },
      { id: 7, xmlid: 'base.partner_demo', values: { name: 'Marc Demo', email: 'mark.brown23@example.com' } },
    ],
    'uom.uom': [
      { id: 1, xmlid: 'uom.product_uom_unit', values: { name: 'Units' } },
      { id: 3, xmlid: 'uom.product_uom_day', values: { name: 'Days' } },
      { id: 4, xmlid: 'uom.product_uom_hour', values: { name: 'Hours' } },
    ],
    // stock.location_consumption does not exist in 17.0: a consumption location has to be created.
    // Parents by id: the warehouse view (7) and the per-company locations have no external id.
    'stock.location': [
      location(1, 'Physical Locations', 'view', false, { xmlid: 'stock.stock_location_locations' }),
      location(2, 'Partners', 'view', false, { xmlid: 'stock.stock_location_locations_partner' }),
      location(3, 'Virtual Locations', 'view', false, { xmlid: 'stock.stock_location_locations_virtual' }),
      location(4, 'Vendors', 'supplier', 2, {
        xmlid: 'stock.stock_location_suppliers',
      }),
      location(5, 'Customers', 'customer', 2, {
        xmlid: 'stock.stock_location_customers',
      }),
      location(6, 'Inter-company transit', 'transit', 3, {
        xmlid: 'stock.stock_location_inter_wh',
        active: false,
      }),
      location(7, 'WH', 'view', 1),
      location(8, 'Stock', 'internal', 7, { xmlid: 'stock.stock_location_stock' }),
      location(9, 'Input', 'internal', 7, {
        xmlid: 'stock.stock_location_company',
        active: false,
      }),
      location(10, 'Quality Control', 'internal', 7, { active: false }),
      location(11, 'Output', 'internal', 7, {
        xmlid: 'stock.stock_location_output',
        active: false,
      }),
      location(12, 'Packing Zone', 'internal', 7, {
        xmlid: 'stock.location_pack_zone',
        active: false,
      }),
      location(13, 'Inter-warehouse transit', 'transit', 1, { active: false }),
      location(14, 'Inventory adjustment', 'inventory', 3),
      location(15, 'Production', 'production', 3),
      location(16, 'Scrap', 'inventory', 3),
    ],
  },
};

/**
 * 19.0's stock locations carry fewer external ids: the three view locations (physical, partners,
 * virtual) have none, and the inter-company transit is `stock_location_inter_company` (the ids a
 * real 19.0 lists in ir.model.data, test/real-odoo/emulator-contract.test.ts).
 */
const XMLIDS_19: Readonly<Record<string, string | null>> = {
  'stock.stock_location_locations': null,
  'stock.stock_location_locations_partner': null,
  'stock.stock_location_locations_virtual': null,
  'stock.stock_location_inter_wh': 'stock.stock_location_inter_company',
};

export function baseSeed(version: '17.0' | '19.0'): SeedData {
  if (version === '17.0') return BASE_SEED;
  const records = Object.fromEntries(
    Object.entries(BASE_SEED.records ?? {}).map(([model, rows]) => [
      model,
      rows.map((row): SeedRecord => {
        const renamed = row.xmlid === undefined ? undefined : XMLIDS_19[row.xmlid];
        if (renamed === undefined) return row;
        const { xmlid: _old, ...rest } = row;
        return renamed === null ? rest : { ...rest, xmlid: renamed };
      }),
    ]),
  );
  return { ...BASE_SEED, records };
}
