import type { EmulatorState, EmulatorUser } from './emulator-state.js';

/**
 * Seeding: the base records every Odoo database has (company, admin and demo users, countries, a
 * unit of measure, stock locations) and a hook that takes plain data, used by tests and by the demo
 * clinic (`npm run demo`). References between seeded records use external ids, as `load` does.
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

export function baseUsers(adminPassword: string): EmulatorUser[] {
  return [
    { uid: ADMIN_UID, login: 'admin', name: 'Mitchell Admin', password: adminPassword, rights: 'admin' },
    {
      uid: DEMO_UID,
      login: 'demo',
      name: 'Marc Demo',
      password: 'demo',
      rights: {
        '*': ['read'],
        'res.partner': ['read', 'create', 'write'],
        'stock.move': ['read', 'create', 'write'],
      },
    },
  ];
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
    'stock.location': [
      {
        id: 4,
        xmlid: 'stock.stock_location_suppliers',
        values: { name: 'Partners/Vendors', usage: 'supplier' },
      },
      {
        id: 5,
        xmlid: 'stock.stock_location_customers',
        values: { name: 'Partners/Customers', usage: 'customer' },
      },
      { id: 8, xmlid: 'stock.stock_location_stock', values: { name: 'WH/Stock', usage: 'internal' } },
      {
        id: 15,
        xmlid: 'stock.location_consumption',
        values: { name: 'Virtual Locations/Consumption', usage: 'inventory' },
      },
    ],
  },
};
