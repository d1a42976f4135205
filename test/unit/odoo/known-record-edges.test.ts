import { describe, expect, it } from 'vitest';
import {
  MIN_GROUP_SIZE,
  updateKnownRecords,
  writeValue,
  type KnownRecord,
} from '../../../main/connectors/odoo/known-record-updates.js';
import type { OrmCaller } from '../../../main/connectors/odoo/orm-caller.js';

/**
 * Edges of the known-record path that mutation testing found unguarded (test/mutation/SURVIVORS.md):
 * value conversion per field type, the comparison with an empty value, columns the path must skip,
 * the group size boundary, the order-independent grouping of changes, and what Odoo is asked.
 */

const TYPES = new Map([
  ['name', 'char'],
  ['phone', 'char'],
  ['function', 'char'],
  ['color', 'integer'],
  ['is_company', 'boolean'],
]);
const types = () => Promise.resolve(TYPES);

interface Call {
  readonly method: string;
  readonly args: readonly unknown[];
  readonly kwargs: Readonly<Record<string, unknown>>;
}

/**
 * Odoo holding `rows`, answering like Odoo does: search_read hides archived rows unless
 * `active_test` is false, reads only the named fields (all of them for none) and refuses a
 * field name that is not text; `write` answers `writeAnswer`.
 */
function odooHolding(
  rows: Record<string, unknown>[],
  writeAnswer: unknown = true,
  searchAnswer?: unknown,
): { call: OrmCaller; calls: Call[] } {
  const calls: Call[] = [];
  const call: OrmCaller = (_model, method, args, kwargs = {}) => {
    calls.push({ method, args, kwargs });
    if (method === 'search_read') {
      if (searchAnswer !== undefined) return Promise.resolve(searchAnswer);
      const fields = (kwargs.fields ?? []) as unknown[];
      if (fields.some((field) => typeof field !== 'string'))
        return Promise.reject(new Error('ValueError: Invalid field'));
      const context = (kwargs.context ?? {}) as Record<string, unknown>;
      const ids = ((args[0] as unknown[][])[0]?.[2] ?? []) as number[];
      return Promise.resolve(
        rows
          .filter((row) => ids.includes(row.id as number))
          .filter((row) => context.active_test === false || row.active !== false)
          .map((row) =>
            fields.length === 0
              ? row
              : Object.fromEntries(
                  Object.entries(row).filter(([key]) => key === 'id' || fields.includes(key)),
                ),
          ),
      );
    }
    if (method === 'write') return Promise.resolve(writeAnswer);
    return Promise.reject(new Error(`unexpected ${method}`));
  };
  return { call, calls };
}

const known = (id: number, payload: Record<string, unknown>, index = id - 1): KnownRecord => ({
  index,
  id,
  write: { key: `p_${id}`, payload },
});

const held = (count: number, extra: Record<string, unknown> = {}) =>
  Array.from({ length: count }, (_, index) => ({
    id: index + 1,
    name: `P ${index + 1}`,
    phone: '+32 1',
    function: false,
    color: 0,
    ...extra,
  }));

describe('writeValue edges', () => {
  it.each([
    ['date', '', false],
    ['selection', null, false],
    ['float', Number.POSITIVE_INFINITY, undefined],
    ['float', '2.5', undefined],
    ['monetary', 3, 3],
    ['many2one', true, undefined],
    ['integer', '3', undefined],
  ])('%s %j → %j', (type, value, expected) => {
    expect(writeValue(type, value)).toBe(expected);
  });
});

describe('updateKnownRecords edges', () => {
  it('writes an emptied value: false in the payload differs from a value Odoo holds', async () => {
    const { call } = odooHolding(held(1));
    const result = await updateKnownRecords(call, 'res.partner', [known(1, { phone: '' })], types);
    expect(result.done.size).toBe(0);
    expect(result.rest).toEqual([0]);
  });

  it('counts a record holding every value as unchanged, an id column in the payload aside', async () => {
    const { call } = odooHolding(held(1));
    const payload = { id: 'osc_sync.p_1', name: 'P 1', phone: '+32 1', function: null, color: 0 };
    const result = await updateKnownRecords(call, 'res.partner', [known(1, payload)], types);
    expect([...result.done]).toEqual([[0, 1]]);
    expect(result).toMatchObject({ unchanged: 1, groupWrites: 0, rest: [] });
  });

  it('counts a boolean Odoo already holds as unchanged, true and false alike', async () => {
    const { call, calls } = odooHolding([
      ...held(1, { is_company: true }),
      ...held(2, { is_company: false }).slice(1),
    ]);
    const records = [known(1, { is_company: true }), known(2, { is_company: false })];
    const result = await updateKnownRecords(call, 'res.partner', records, types);
    expect(result).toMatchObject({ unchanged: 2, rest: [] });
    expect(calls.map((c) => c.method)).toEqual(['search_read']);
  });

  it('leaves a record with nothing to compare to load', async () => {
    const { call } = odooHolding(held(1));
    const result = await updateKnownRecords(call, 'res.partner', [known(1, { id: 'x' })], types);
    expect(result).toMatchObject({ rest: [0], unchanged: 0, groupWrites: 0 });
    expect(result.done.size).toBe(0);
  });

  it('asks Odoo nothing for no records, or when no record can be judged', async () => {
    let typeReads = 0;
    const counted = () => {
      typeReads += 1;
      return types();
    };
    const { call, calls } = odooHolding(held(2));
    const none = await updateKnownRecords(call, 'res.partner', [], counted);
    expect(none).toMatchObject({ rest: [], groupWrites: 0, unchanged: 0 });
    expect(none.done.size).toBe(0);
    expect(typeReads).toBe(0);
    const doubtful = await updateKnownRecords(
      call,
      'res.partner',
      [known(1, { 'country_id/id': 'base.be' }), known(2, { comment: '<p>x</p>' })],
      counted,
    );
    expect(doubtful).toMatchObject({ rest: [0, 1], groupWrites: 0, unchanged: 0 });
    expect(doubtful.done.size).toBe(0);
    expect(calls).toEqual([]);
  });

  it('reads exactly the compared columns, archived records included', async () => {
    const { call, calls } = odooHolding(held(2, { active: false }));
    const result = await updateKnownRecords(
      call,
      'res.partner',
      [known(1, { name: 'P 1' }), known(2, { name: 'P 2', color: 0 })],
      types,
    );
    expect(calls[0]?.kwargs).toEqual({ fields: ['name', 'color'], context: { active_test: false } });
    expect([...result.done]).toEqual([
      [0, 1],
      [1, 2],
    ]);
    expect(result.unchanged).toBe(2);
  });

  it('leaves everything to load when Odoo answers the read in an unexpected shape', async () => {
    const { call } = odooHolding(held(2), true, false);
    const result = await updateKnownRecords(call, 'res.partner', [known(1, { name: 'X' })], types);
    expect(result).toMatchObject({ rest: [0], groupWrites: 0, unchanged: 0 });
    expect(result.done.size).toBe(0);
  });

  it('writes a group of exactly MIN_GROUP_SIZE records, and leaves one fewer to load', async () => {
    const rows = held(MIN_GROUP_SIZE);
    const enough = odooHolding(rows);
    const all = rows.map((row) => known(row.id, { function: 'Patient' }));
    const written = await updateKnownRecords(enough.call, 'res.partner', all, types);
    expect(written).toMatchObject({ groupWrites: 1, rest: [] });
    expect(written.done.size).toBe(MIN_GROUP_SIZE);
    const fewer = odooHolding(rows);
    const small = await updateKnownRecords(fewer.call, 'res.partner', all.slice(1), types);
    expect(small).toMatchObject({ groupWrites: 0 });
    expect(small.rest).toHaveLength(MIN_GROUP_SIZE - 1);
    expect(fewer.calls.map((c) => c.method)).toEqual(['search_read']);
  });

  it('groups the same change whatever the order of the payload columns', async () => {
    const rows = held(MIN_GROUP_SIZE);
    const { call, calls } = odooHolding(rows);
    const orders = [
      { phone: '+32 2', function: 'Patient', color: 3 },
      { color: 3, function: 'Patient', phone: '+32 2' },
      { function: 'Patient', color: 3, phone: '+32 2' },
      { phone: '+32 2', color: 3, function: 'Patient' },
    ];
    const records = rows.map((row, index) => known(row.id, orders[index % orders.length] ?? {}));
    const result = await updateKnownRecords(call, 'res.partner', records, types);
    expect(result).toMatchObject({ groupWrites: 1, rest: [] });
    expect(calls.map((c) => c.method)).toEqual(['search_read', 'write']);
    expect(Object.keys(calls[1]?.args[1] as object)).toEqual(['color', 'function', 'phone']);
  });

  it('does not count a group as written when write answers anything but true', async () => {
    const rows = held(MIN_GROUP_SIZE);
    const { call } = odooHolding(rows, false);
    const records = rows.map((row) => known(row.id, { function: 'Patient' }));
    const result = await updateKnownRecords(call, 'res.partner', records, types);
    expect(result).toMatchObject({ groupWrites: 0 });
    expect(result.done.size).toBe(0);
    expect(result.rest).toHaveLength(MIN_GROUP_SIZE);
  });
});
