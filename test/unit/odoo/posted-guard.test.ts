import { describe, expect, it } from 'vitest';
import type { OrmCaller } from '../../../main/connectors/odoo/orm-caller.js';
import { findLockedRecords, postingApplies } from '../../../main/connectors/odoo/posted-guard.js';

/** Posted or cancelled accounting entries the engine knows become conflicts, read in one call. */

const MOVES = [
  { id: 7, state: 'posted', name: 'INV/2026/00003', move_type: 'out_invoice' },
  { id: 8, state: 'cancel', name: '/', move_type: 'in_invoice' },
  { id: 9, state: 'draft', name: '/', move_type: 'out_invoice' },
];

function odooWith(rows: Record<string, unknown>[]): { call: OrmCaller; calls: unknown[][] } {
  const calls: unknown[][] = [];
  const call: OrmCaller = (model, method, args, kwargs) => {
    calls.push([model, method, args, kwargs]);
    const ids = ((args[0] as unknown[][])[0]?.[2] ?? []) as number[];
    return Promise.resolve(rows.filter((row) => ids.includes(row.id as number)));
  };
  return { call, calls };
}

const write = (key: string) => ({ key, payload: { ref: key } });

describe('findLockedRecords', () => {
  it('turns posted and cancelled moves into conflicts that say what to do', async () => {
    const { call, calls } = odooWith(MOVES);
    const locked = await findLockedRecords(
      call,
      'account.move',
      [write('a'), write('b'), write('c'), write('new')],
      new Map([
        ['a', '7'],
        ['b', '8'],
        ['c', '9'],
      ]),
    );
    expect(calls).toEqual([
      [
        'account.move',
        'search_read',
        [[['id', 'in', [7, 8, 9]]]],
        { fields: ['state', 'name', 'move_type'], context: { active_test: false } },
      ],
    ]);
    expect([...locked.keys()]).toEqual([0, 1]);
    expect(locked.get(0)).toEqual({
      class: 'conflict',
      code: 'odoo.posted',
      message:
        'Invoice INV/2026/00003 is posted in Odoo, so the console did not change it: posted accounting is never rewritten. Correct it with a credit note, or have an accountant reset it to draft in Odoo, then retry this record.',
    });
    expect(locked.get(1)).toMatchObject({ class: 'conflict', code: 'odoo.cancelled' });
    expect(locked.get(1)?.message).toMatch(/^Vendor bill id 8 is cancelled in Odoo/);
  });

  it('asks nothing for models without posting or keys the engine never recorded', async () => {
    const { call, calls } = odooWith(MOVES);
    expect(postingApplies('res.partner')).toBe(false);
    expect(postingApplies('account.move')).toBe(true);
    expect((await findLockedRecords(call, 'res.partner', [write('a')], new Map([['a', '7']]))).size).toBe(0);
    expect((await findLockedRecords(call, 'account.move', [write('a')], new Map())).size).toBe(0);
    expect((await findLockedRecords(call, 'account.move', [write('a')], undefined)).size).toBe(0);
    expect(calls).toEqual([]);
  });
});
