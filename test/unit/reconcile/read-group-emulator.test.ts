import { describe, expect, it } from 'vitest';
import { groupTotals } from '../../../main/connectors/odoo/grouped-totals.js';
import type { OrmCaller } from '../../../main/connectors/odoo/orm-caller.js';
import { EmulatorState } from '../../peers/odoo/emulator-state.js';
import { callKw } from '../../peers/odoo/orm.js';
import { ADMIN_UID, BASE_SEED, baseUsers, seedOdoo } from '../../peers/odoo/seed.js';

/**
 * Server-side grouping in the Odoo emulator answers as the real servers did (recorded on the test
 * stage's Odoo 17.0 and 19.0 with the same three invoices: 10 and 5 on 5 Jan 2026, 7 on 3 Feb),
 * and the connector reads both shapes into the same totals per period.
 */

const REAL_17_MONTH = [
  {
    'invoice_date:month': 'January 2026',
    __count: 2,
    amount_untaxed: 15,
    __range: { 'invoice_date:month': { from: '2026-01-01', to: '2026-02-01' } },
  },
  {
    'invoice_date:month': 'February 2026',
    __count: 1,
    amount_untaxed: 7,
    __range: { 'invoice_date:month': { from: '2026-02-01', to: '2026-03-01' } },
  },
];
const REAL_19_DAY = [
  {
    'invoice_date:day': ['2026-01-05', '05 Jan 2026'],
    __extra_domain: ['&', ['invoice_date', '>=', '2026-01-05'], ['invoice_date', '<', '2026-01-06']],
    __count: 2,
    'amount_untaxed:sum': 15,
  },
  {
    'invoice_date:day': ['2026-02-03', '03 Feb 2026'],
    __extra_domain: ['&', ['invoice_date', '>=', '2026-02-03'], ['invoice_date', '<', '2026-02-04']],
    __count: 1,
    'amount_untaxed:sum': 7,
  },
];

function emulator(series: '17.0' | '19.0'): EmulatorState {
  const state = new EmulatorState(series === '17.0' ? 'odoo17' : 'odoo19', series);
  seedOdoo(state, BASE_SEED);
  for (const user of baseUsers('admin')) state.addUser(user);
  const partner = callKw(state, ADMIN_UID, 'res.partner', 'create', [{ name: 'P' }], {}).result;
  for (const [day, amount] of [
    ['2026-01-05', 10],
    ['2026-01-05', 5],
    ['2026-02-03', 7],
  ] as const)
    callKw(
      state,
      ADMIN_UID,
      'account.move',
      'create',
      [
        {
          move_type: 'out_invoice',
          partner_id: partner,
          invoice_date: day,
          invoice_line_ids: [[0, 0, { name: 'x', quantity: 1, price_unit: amount }]],
        },
      ],
      {},
    );
  return state;
}

const DOMAIN = [['move_type', '=', 'out_invoice']];
const strip = (rows: unknown): unknown =>
  (rows as Record<string, unknown>[]).map(
    ({ __domain: _d, write_date: _w, 'write_date:max': _m, ...rest }) => rest,
  );

describe('read_group / formatted_read_group in the emulator', () => {
  it('Odoo 17: read_group(lazy=False) answers labels, __count, sums and __range like the real server', () => {
    const state = emulator('17.0');
    const answer = callKw(
      state,
      ADMIN_UID,
      'account.move',
      'read_group',
      [DOMAIN, ['amount_untaxed:sum'], ['invoice_date:month']],
      {
        lazy: false,
      },
    ).result;
    expect(strip(answer)).toEqual(REAL_17_MONTH);
    expect(() => callKw(state, ADMIN_UID, 'account.move', 'formatted_read_group', [DOMAIN], {})).toThrow(
      /does not exist on the model 'account.move'/,
    );
    expect(() =>
      callKw(
        state,
        ADMIN_UID,
        'account.move',
        'read_group',
        [DOMAIN, ['nope:sum'], ['invoice_date:month']],
        {},
      ),
    ).toThrow("Invalid field 'nope' on model 'account.move' for 'nope:sum'.");
  });

  it('Odoo 19: formatted_read_group answers [start, label], named aggregates and __extra_domain', () => {
    const state = emulator('19.0');
    const answer = callKw(state, ADMIN_UID, 'account.move', 'formatted_read_group', [DOMAIN], {
      groupby: ['invoice_date:day'],
      aggregates: ['__count', 'amount_untaxed:sum'],
    }).result;
    expect(answer).toEqual(REAL_19_DAY);
    expect(() =>
      callKw(state, ADMIN_UID, 'account.move', 'formatted_read_group', [DOMAIN], {
        groupby: ['invoice_date:month'],
        aggregates: ['amount_untaxed'],
      }),
    ).toThrow("Aggregate method is mandatory for 'amount_untaxed'");
  });

  it('the connector reads both servers into the same totals per period, with the latest write', async () => {
    for (const series of ['17.0', '19.0'] as const) {
      const state = emulator(series);
      const call: OrmCaller = (model, method, args, kwargs = {}) =>
        Promise.resolve(callKw(state, ADMIN_UID, model, method, args, kwargs).result);
      const totals = await groupTotals(call, series === '17.0' ? 17 : 19, {
        model: 'account.move',
        domain: DOMAIN,
        dateField: 'invoice_date',
        granularity: 'month',
        amountField: 'amount_untaxed',
      });
      expect([...totals].map(([period, t]) => [period, t.count, t.amount])).toEqual([
        ['2026-01-01', 2, 15],
        ['2026-02-01', 1, 7],
      ]);
      expect(totals.get('2026-01-01')?.lastWrite).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    }
  });
});
