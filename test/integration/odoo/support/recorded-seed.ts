import type { SeedData } from '../../../peers/odoo/index.js';

/**
 * Data that was on the real Odoo 17 server when the fixtures were recorded (the demo records the
 * recorded reads return, and the next ids it handed out), so replayed requests get the same answers.
 */
export const RECORDED_SEED: SeedData = {
  records: {
    'res.partner': [
      {
        id: 9,
        values: {
          name: 'Wood Corner',
          is_company: true,
          email: 'wood.corner26@example.com',
          'country_id/id': 'base.us',
        },
      },
      {
        id: 10,
        values: {
          name: 'Deco Addict',
          is_company: true,
          email: 'deco_addict@yourcompany.example.com',
          'country_id/id': 'base.us',
        },
      },
    ],
    'product.product': [
      {
        id: 1,
        values: { name: 'Restaurant Expenses', detailed_type: 'service', list_price: 14, standard_price: 8 },
      },
      {
        id: 2,
        values: {
          name: 'Hotel Accommodation',
          detailed_type: 'service',
          list_price: 400,
          standard_price: 400,
          'uom_id/id': 'uom.product_uom_day',
        },
      },
      {
        id: 3,
        values: {
          name: 'Virtual Interior Design',
          detailed_type: 'service',
          list_price: 30.75,
          standard_price: 20.5,
          'uom_id/id': 'uom.product_uom_hour',
        },
      },
      {
        id: 8,
        values: {
          name: 'Desk Combination',
          default_code: 'FURN_7800',
          detailed_type: 'product',
          list_price: 450,
          qty_available: 60,
          virtual_available: 4,
        },
      },
      {
        id: 12,
        values: {
          name: 'Customizable Desk (Steel, White)',
          default_code: 'FURN_0096',
          detailed_type: 'product',
          list_price: 750,
          qty_available: 45,
          virtual_available: 45,
        },
      },
      {
        id: 13,
        values: {
          name: 'Customizable Desk (Steel, Black)',
          default_code: 'FURN_0097',
          detailed_type: 'product',
          list_price: 750,
          qty_available: 50,
          virtual_available: 50,
        },
      },
    ],
  },
  nextIds: {
    'res.partner': 43,
    'ir.model.data': 21501,
    'product.product': 37,
    'account.move': 25,
    'stock.move': 40,
  },
};

/** The placeholder the recording put where the real API key was. */
export const RECORDED_API_KEY = '<API_KEY>';
