import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ADMIN_UID,
  DEMO_UID,
  seedOdoo,
  startOdooEmulator,
  type OdooEmulator,
} from '../../peers/odoo/index.js';

/**
 * The emulator's models and services beyond the recorded bodies: the demo clinic's purchase and
 * invoice rules, domains, argument binding, the seed hook and the JSON-RPC services.
 */

let emulator: OdooEmulator;
beforeEach(async () => {
  emulator = await startOdooEmulator();
});
afterEach(async () => {
  await emulator.close();
});

async function rpc(
  service: string,
  method: string,
  args: unknown[],
): Promise<{ result?: unknown; error?: { data: { name: string; message: string } } }> {
  const response = await fetch(`${emulator.url}/jsonrpc`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { service, method, args }, id: 1 }),
    signal: AbortSignal.timeout(5000),
  });
  return (await response.json()) as { result?: unknown; error?: { data: { name: string; message: string } } };
}

const kw = (
  model: string,
  method: string,
  args: unknown[],
  kwargs: Record<string, unknown> = {},
  uid = ADMIN_UID,
  password = 'admin',
) => rpc('object', 'execute_kw', ['odoo17', uid, password, model, method, args, kwargs]);

describe('demo clinic models', () => {
  it('confirms a purchase order with lines and stamps write_date', async () => {
    const vendor = (await kw('res.partner', 'create', [{ name: 'MedSupply Ltd', is_company: true }]))
      .result as number;
    expect((await kw('product.product', 'create', [{ name: 'Syringe' }])).result).toBe(1);
    const dangling = await kw('purchase.order', 'create', [
      {
        partner_id: vendor,
        order_line: [
          [0, 0, { product_id: 1, product_qty: 1, price_unit: 3 }],
          [0, 0, { product_id: 999, product_qty: 1, price_unit: 3 }],
        ],
      },
    ]);
    expect(dangling.error?.data.message).toContain('Constraint: purchase_order_line_product_id_fkey');
    // The whole call is rolled back: neither the order nor a line remains.
    expect((await kw('purchase.order', 'search_count', [[]])).result).toBe(0);
    expect((await kw('purchase.order.line', 'search_count', [[]])).result).toBe(0);
    const products = (await kw('product.product', 'create', [[{ name: 'Gauze' }]])).result as number[];
    const created = (
      await kw('purchase.order', 'create', [
        {
          partner_id: vendor,
          order_line: [[0, 0, { product_id: products[0], product_qty: 10, price_unit: 0.2 }]],
        },
      ])
    ).result as number;
    expect((await kw('purchase.order', 'button_confirm', [[created]])).result).toBe(true);
    const [row] = (
      await kw('purchase.order', 'read', [[created], ['state', 'amount_total', 'order_line', 'date_approve']])
    ).result as Record<string, unknown>[];
    expect(row).toMatchObject({ state: 'purchase', amount_total: 2, order_line: [expect.any(Number)] });
    expect(row?.date_approve).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const confirmed = (await kw('purchase.order', 'search_count', [[['state', '=', 'purchase']]])).result;
    expect(confirmed).toBe(1);
  });

  it('enforces invoice posting rules', async () => {
    const empty = (await kw('account.move', 'create', [{ move_type: 'out_invoice', partner_id: 1 }]))
      .result as number;
    expect((await kw('account.move', 'action_post', [[empty]])).error?.data).toMatchObject({
      name: 'odoo.exceptions.UserError',
      message: 'You need to add a line before posting.',
    });
    const noPartner = (
      await kw('account.move', 'create', [
        { move_type: 'out_invoice', invoice_line_ids: [[0, 0, { name: 'x', price_unit: 1 }]] },
      ])
    ).result as number;
    expect((await kw('account.move', 'action_post', [[noPartner]])).error?.data.message).toBe(
      "The field 'Customer' is required, please complete it to validate the Customer Invoice.",
    );
    await kw('account.move', 'write', [[noPartner], { partner_id: 1 }]);
    expect((await kw('account.move', 'action_post', [[noPartner]])).result).toBe(true);
    expect((await kw('account.move', 'write', [[noPartner], { ref: 'changed' }])).error?.data.name).toBe(
      'odoo.exceptions.UserError',
    );
  });

  it('evaluates domains with |, &, !, in and ilike', async () => {
    for (const name of ['Alpha Clinic', 'Beta Lab', 'Gamma Pharmacy'])
      await kw('res.partner', 'create', [{ name, is_company: true }]);
    const names = async (domain: unknown[]) =>
      (
        (await kw('res.partner', 'search_read', [domain], { fields: ['name'], order: 'name asc' }))
          .result as { name: string }[]
      ).map((row) => row.name);
    expect(await names(['|', ['name', 'ilike', 'alpha'], ['name', 'ilike', 'LAB']])).toEqual([
      'Alpha Clinic',
      'Beta Lab',
    ]);
    expect(
      await names([
        ['is_company', '=', true],
        '!',
        ['name', 'in', ['Beta Lab', 'My Company (San Francisco)']],
      ]),
    ).toEqual(['Alpha Clinic', 'Gamma Pharmacy']);
    expect((await kw('res.partner', 'search_read', [[['name', 'frobs', 1]]])).error?.data.name).toBe(
      'builtins.ValueError',
    );
  });

  it('binds arguments like Python and refuses unknown keywords', async () => {
    const byKeyword = await kw('res.partner', 'search_count', [], { domain: [['id', '=', 1]] });
    expect(byKeyword.result).toBe(1);
    const unknown = await kw('res.partner', 'search_read', [[]], { colour: 'red' });
    expect(unknown.error?.data).toMatchObject({
      name: 'builtins.TypeError',
      message: "res.partner.search_read() got an unexpected keyword argument 'colour'",
    });
    const execute = await rpc('object', 'execute', [
      'odoo17',
      ADMIN_UID,
      'admin',
      'res.partner',
      'search_count',
      [['id', '=', 1]],
    ]);
    expect(execute.result).toBe(1);
  });

  it('applies access rights per user', async () => {
    expect(
      (
        await kw(
          'account.move',
          'check_access_rights',
          ['create'],
          { raise_exception: false },
          DEMO_UID,
          'demo',
        )
      ).result,
    ).toBe(false);
    expect(
      (await kw('account.move', 'check_access_rights', ['create'], {}, DEMO_UID, 'demo')).error?.data.name,
    ).toBe('odoo.exceptions.AccessError');
    expect((await kw('res.partner', 'create', [{ name: 'By demo' }], {}, DEMO_UID, 'demo')).result).toEqual(
      expect.any(Number),
    );
  });

  it('answers the common and db services', async () => {
    expect((await rpc('db', 'list', [])).result).toEqual(['odoo17']);
    expect((await rpc('common', 'login', ['odoo17', 'demo', 'demo'])).result).toBe(DEMO_UID);
    expect((await rpc('common', 'nope', [])).error?.data).toMatchObject({
      name: 'builtins.KeyError',
      message: 'exp_nope',
    });
  });

  it('refuses malformed JSON and unknown paths', async () => {
    const bad = await fetch(`${emulator.url}/jsonrpc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{oops',
    });
    expect(bad.status).toBe(400);
    const missing = await fetch(`${emulator.url}/web/login`);
    expect(missing.status).toBe(404);
  });
});

describe('seed hook', () => {
  it('seeds plain data with references by external id and reserved ids', async () => {
    seedOdoo(emulator.state, {
      records: {
        'res.partner': [
          { xmlid: 'demo_clinic.ehr_patient_1', values: { name: 'Patient One', 'country_id/id': 'base.be' } },
        ],
        'product.product': [
          { xmlid: 'demo_clinic.gauze', values: { name: 'Gauze', default_code: 'SUP-GAUZE' } },
        ],
        'stock.move': [
          {
            values: {
              name: 'Consumption',
              'product_id/id': 'demo_clinic.gauze',
              'location_id/id': 'stock.stock_location_stock',
              'location_dest_id/id': 'stock.location_consumption',
            },
          },
        ],
      },
      nextIds: { 'account.move': 500 },
    });
    expect(emulator.state.resolveXmlid('demo_clinic.ehr_patient_1')).toMatchObject({ model: 'res.partner' });
    const moves = (await kw('stock.move', 'search_read', [[]], { fields: ['product_id', 'state'] })).result;
    expect(moves).toEqual([{ id: 1, product_id: [expect.any(Number), '[SUP-GAUZE] Gauze'], state: 'draft' }]);
    expect((await kw('account.move', 'create', [{ move_type: 'entry' }])).result).toBe(500);
    expect(() =>
      seedOdoo(emulator.state, {
        records: { 'res.partner': [{ values: { name: 'x', 'parent_id/id': 'nope.nope' } }] },
      }),
    ).toThrow(/unknown external id nope.nope/);
  });
});
