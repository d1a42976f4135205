import { describe, expect, it } from 'vitest';
import { EmulatorState } from '../../peers/odoo/emulator-state.js';
import { callKw } from '../../peers/odoo/orm.js';
import { ADMIN_UID, BASE_SEED, baseUsers, seedOdoo } from '../../peers/odoo/seed.js';

/**
 * The Odoo emulator's indexes and undo journal (they replaced full scans and a whole-database copy
 * per write call): every lookup must give what a scan gives, and a rollback must put back rows,
 * indexes and id counters exactly.
 */

function fresh(): EmulatorState {
  const state = new EmulatorState('odoo17', '17.0');
  // As startOdooEmulator does: the users' partners are in the base seed.
  seedOdoo(state, BASE_SEED);
  for (const user of baseUsers('admin')) state.addUser(user);
  return state;
}

const FIELDS = ['id', 'move_type', 'partner_id/id', 'invoice_line_ids/id', 'invoice_line_ids/name'];
const row = (xmlid: string, line: string, partner = 'base.main_partner'): unknown[] => [
  xmlid,
  'out_invoice',
  partner,
  `${xmlid}_l1`,
  line,
];
const load = (state: EmulatorState, rows: unknown[][]): unknown =>
  callKw(state, ADMIN_UID, 'account.move', 'load', [FIELDS, rows], {}).result;

describe('emulator indexes', () => {
  it('resolves external ids and one2many lines through the indexes, as a scan would', () => {
    const state = fresh();
    const result = load(state, [row('osc.m1', 'first'), row('osc.m2', 'second')]) as { ids: number[] };
    const [m1, m2] = result.ids;
    expect(state.resolveXmlid('osc.m1')).toEqual({ model: 'account.move', resId: m1 });
    expect(state.resolveXmlid('other.m1')).toBeNull();
    const db = state.db;
    for (const id of [m1!, m2!]) {
      const scanned = db.idsWhere('account.move.line', (line) => line.move_id === id);
      expect(db.idsWithValue('account.move.line', 'move_id', id)).toEqual(scanned);
      expect(db.read('account.move', [id], ['invoice_line_ids'])[0]?.invoice_line_ids).toEqual(scanned);
    }
    // A re-load updates in place: same ids, the line renamed, nothing duplicated.
    const again = load(state, [row('osc.m1', 'renamed')]) as { ids: number[] };
    expect(again.ids).toEqual([m1]);
    expect(db.idsWithValue('account.move.line', 'move_id', m1)).toHaveLength(1);
    expect(db.count('ir.model.data')).toBe(db.idsWhere('ir.model.data', () => true).length);
  });

  it('a narrowed search returns exactly what the full scan returns', () => {
    const state = fresh();
    load(state, [row('osc.a', 'x'), row('osc.b', 'y'), row('other.a', 'z')]);
    const search = (domain: unknown[]): unknown =>
      // In id order, as the scan below gives them (ir.model.data's own order is module, model, name).
      callKw(state, ADMIN_UID, 'ir.model.data', 'search_read', [domain], {
        fields: ['name', 'module'],
        order: 'id',
      }).result;
    const scan = (predicate: (r: Record<string, unknown>) => boolean): number[] =>
      state.db.idsWhere('ir.model.data', predicate);
    const ids = (rows: unknown): number[] => (rows as { id: number }[]).map((r) => r.id);
    expect(
      ids(
        search([
          ['module', '=', 'osc'],
          ['name', 'in', ['a', 'b', 'missing']],
        ]),
      ),
    ).toEqual(scan((r) => r.module === 'osc' && ['a', 'b'].includes(r.name as string)));
    expect(ids(search([['name', '=', 'a']]))).toEqual(scan((r) => r.name === 'a'));
    expect(ids(search([['name', 'in', []]]))).toEqual([]);
    // Not narrowable ('|', unset values): still the scan's answer.
    expect(ids(search(['|', ['name', '=', 'a'], ['name', '=', 'b']]))).toEqual(
      scan((r) => r.name === 'a' || r.name === 'b'),
    );
    expect(ids(search([['name', '!=', false]]))).toEqual(scan(() => true));
    // A malformed leaf is refused before any index is consulted.
    expect(() => search([['name', 'between', ['a']]])).toThrow(/Invalid leaf/);
  });

  it('keeps the index current when an indexed field is written, and (module, name) unique', () => {
    const state = fresh();
    load(state, [row('osc.old', 'x')]);
    const [dataId] = state.db.idsWithValue('ir.model.data', 'name', 'old');
    callKw(state, ADMIN_UID, 'ir.model.data', 'write', [[dataId], { name: 'new' }], {});
    expect(state.resolveXmlid('osc.old')).toBeNull();
    expect(state.resolveXmlid('osc.new')?.model).toBe('account.move');
    const values = { module: 'osc', name: 'new', model: 'res.partner', res_id: 1 };
    expect(() => callKw(state, ADMIN_UID, 'ir.model.data', 'create', [values], {})).toThrow(
      /ir_model_data_module_name_uniq_index/,
    );
    // The same name in another module is another external id.
    callKw(state, ADMIN_UID, 'ir.model.data', 'create', [{ ...values, module: 'elsewhere' }], {});
    expect(state.resolveXmlid('elsewhere.new')?.model).toBe('res.partner');
  });

  it('stays fast with many external ids (a lookup is not a scan)', () => {
    const state = fresh();
    for (let i = 0; i < 60_000; i += 1)
      state.db.create('ir.model.data', { module: 'bulk', name: `n${i}`, model: 'res.partner', res_id: 1 }, 1);
    const started = performance.now();
    for (let i = 0; i < 5000; i += 1) state.resolveXmlid(`bulk.n${i * 7}`);
    // A scan per lookup is 300M row visits (seconds); the index makes it milliseconds.
    expect(performance.now() - started).toBeLessThan(1500);
  });
});

describe('emulator transactions', () => {
  it('a load with a bad record keeps nothing: rows, indexes and id counters are put back', () => {
    const state = fresh();
    load(state, [row('osc.keep', 'kept')]);
    const before = {
      moves: state.db.idsWhere('account.move', () => true),
      lines: state.db.idsWhere('account.move.line', () => true),
      data: state.db.idsWhere('ir.model.data', () => true),
    };
    const result = load(state, [
      row('osc.keep', 'changed'),
      row('osc.new', 'n'),
      row('osc.bad', 'b', 'no.such'),
    ]);
    expect(result).toMatchObject({ ids: false });
    expect(state.db.idsWhere('account.move', () => true)).toEqual(before.moves);
    expect(state.db.idsWhere('account.move.line', () => true)).toEqual(before.lines);
    expect(state.db.idsWhere('ir.model.data', () => true)).toEqual(before.data);
    expect(state.resolveXmlid('osc.new')).toBeNull();
    const [keptLine] = before.lines.slice(-1);
    expect(state.db.record('account.move.line', keptLine!)?.name).toBe('kept');
    // The next create reuses the ids the failed load had taken, as after a real rollback.
    const next = load(state, [row('osc.new', 'n')]) as { ids: number[] };
    expect(next.ids).toEqual([Math.max(...before.moves) + 1]);
  });

  it('a failing call puts back deleted rows in id order, with their index entries', () => {
    const state = fresh();
    load(state, [row('osc.a', 'a'), row('osc.b', 'b')]);
    const lines = state.db.idsWhere('account.move.line', () => true);
    const move = state.resolveXmlid('osc.a')?.resId ?? 0;
    // unlink then fail in the same call: the [2, id] command succeeds, the write of a bad field throws.
    expect(() =>
      callKw(
        state,
        ADMIN_UID,
        'account.move',
        'write',
        [[move], { invoice_line_ids: [[2, lines[0]]], nope: 1 }],
        {},
      ),
    ).toThrow(/Invalid field/);
    expect(state.db.idsWhere('account.move.line', () => true)).toEqual(lines);
    expect(state.db.idsWithValue('account.move.line', 'move_id', move)).toEqual([lines[0]]);
  });
});
