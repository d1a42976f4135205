import { describe, expect, it } from 'vitest';
import {
  MIN_GROUP_SIZE,
  updateKnownRecords,
  writeValue,
  type KnownRecord,
} from '../../../main/connectors/odoo/known-record-updates.js';
import type { OrmCaller } from '../../../main/connectors/odoo/orm-caller.js';

/**
 * The direct-update path for records whose Odoo id the engine knows: compared with what Odoo holds
 * now, unchanged records are not written, shared changes go out as one write(ids, vals), and
 * everything it cannot judge exactly is left to `load`.
 */

const TYPES = new Map([
  ['name', 'char'],
  ['phone', 'char'],
  ['function', 'char'],
  ['active', 'boolean'],
  ['color', 'integer'],
  ['partner_latitude', 'float'],
  ['type', 'selection'],
  ['country_id', 'many2one'],
  ['comment', 'html'],
]);

interface Call {
  readonly method: string;
  readonly args: readonly unknown[];
}

/** Odoo holding `rows` (by id); `write` answers true unless `refuse` says otherwise. */
function odooHolding(rows: Record<string, unknown>[], refuse = false): { call: OrmCaller; calls: Call[] } {
  const calls: Call[] = [];
  const call: OrmCaller = (_model, method, args) => {
    calls.push({ method, args });
    if (method === 'search_read') {
      const ids = ((args[0] as unknown[][])[0]?.[2] ?? []) as number[];
      return Promise.resolve(rows.filter((row) => ids.includes(row.id as number)));
    }
    if (method === 'write')
      return refuse ? Promise.reject(new Error('ValueError: Wrong value')) : Promise.resolve(true);
    return Promise.reject(new Error(`unexpected ${method}`));
  };
  return { call, calls };
}

const types = () => Promise.resolve(TYPES);

const known = (id: number, payload: Record<string, unknown>, index = id - 1): KnownRecord => ({
  index,
  id,
  write: { key: `p_${id}`, payload },
});

describe('writeValue', () => {
  it.each([
    ['char', 'Jane', 'Jane'],
    ['char', '', false],
    ['char', null, false],
    ['char', 42, undefined],
    ['selection', 'contact', 'contact'],
    ['date', '2026-11-20', '2026-11-20'],
    ['integer', 3, 3],
    ['integer', 3.5, undefined],
    ['float', 2.5, 2.5],
    ['float', null, undefined],
    ['boolean', true, true],
    ['boolean', 'true', undefined],
    ['many2one', 21, undefined],
    ['html', '<p>x</p>', undefined],
    [undefined, 'x', undefined],
  ])('%s %j → %j', (type, value, expected) => {
    expect(writeValue(type, value)).toBe(expected);
  });
});

describe('updateKnownRecords', () => {
  const held = Array.from({ length: 12 }, (_, index) => ({
    id: index + 1,
    name: `P ${index + 1}`,
    phone: false,
    function: false,
  }));

  it('writes a change shared by enough records with one write(ids, vals)', async () => {
    const { call, calls } = odooHolding(held);
    const records = held.map((row) => known(row.id, { name: row.name, phone: '', function: 'Patient' }));
    const result = await updateKnownRecords(call, 'res.partner', records, types);
    expect(calls.map((c) => c.method)).toEqual(['search_read', 'write']);
    expect(calls[1]?.args).toEqual([held.map((row) => row.id), { function: 'Patient' }]);
    expect(result).toMatchObject({ groupWrites: 1, unchanged: 0, rest: [] });
    expect([...result.done.values()]).toEqual(held.map((row) => row.id));
  });

  it('skips records Odoo already holds, and leaves small groups and doubtful ones to load', async () => {
    const { call, calls } = odooHolding(held);
    const records = [
      known(1, { name: 'P 1' }), // unchanged
      known(2, { name: 'P 2', phone: '+32 1' }), // a change of its own
      known(3, { name: 'P 3', 'country_id/id': 'base.be' }), // relational: load
      known(4, { name: 'P 4', comment: '<p>x</p>' }), // html: load
      known(99, { name: 'Gone' }, 4), // deleted in Odoo: load re-creates it
    ];
    const result = await updateKnownRecords(call, 'res.partner', records, types);
    expect(calls.map((c) => c.method)).toEqual(['search_read']);
    expect([...result.done]).toEqual([[0, 1]]);
    expect(result.unchanged).toBe(1);
    expect([...result.rest].sort()).toEqual([1, 2, 3, 4]);
    expect(MIN_GROUP_SIZE).toBeGreaterThan(1);
  });

  it('falls back to load for a group whose write Odoo refuses', async () => {
    const { call } = odooHolding(held, true);
    const records = held.map((row) => known(row.id, { type: 'Contact' }));
    const result = await updateKnownRecords(call, 'res.partner', records, types);
    expect(result.done.size).toBe(0);
    expect(result.rest).toHaveLength(held.length);
  });

  it('leaves everything to load when the field types cannot be had', async () => {
    const { call, calls } = odooHolding(held);
    const result = await updateKnownRecords(call, 'res.partner', [known(1, { name: 'P 1' })], () =>
      Promise.reject(new Error('down')),
    );
    expect(calls).toEqual([]);
    expect(result.rest).toEqual([0]);
  });
});
