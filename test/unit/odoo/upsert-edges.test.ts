import { describe, expect, it } from 'vitest';
import { MIN_GROUP_SIZE } from '../../../main/connectors/odoo/known-record-updates.js';
import type { OrmCaller } from '../../../main/connectors/odoo/orm-caller.js';
import { upsertByLoad, type UpsertOptions } from '../../../main/connectors/odoo/upsert.js';
import type { TargetWrite } from '../../../main/connectors/types.js';

/**
 * Edges of upsertByLoad that mutation testing found unguarded (test/mutation/SURVIVORS.md): created
 * vs updated for keys whose Odoo id the engine knows (or claims to know with a useless id), the
 * known-record path without field types, the report of what it did, and how a failing `search` or
 * an odd answer fails the batch. Odoo here is a small in-memory model answering `search`,
 * `search_read`, `write` and `load` the way Odoo does (ids from one sequence, archived records
 * hidden unless active_test is false, load matching rows by external id, later rows winning).
 */

interface HeldRecord {
  xmlid: string;
  active: boolean;
  values: Record<string, unknown>;
}

class FakeOdoo {
  readonly records = new Map<number, HeldRecord>();
  readonly methods: string[] = [];
  nextId = 1;
  searchAnswer: (() => Promise<unknown>) | undefined;

  hold(xmlid: string, values: Record<string, unknown>, active = true): number {
    const id = this.nextId;
    this.nextId += 1;
    this.records.set(id, { xmlid, active, values: { ...values } });
    return id;
  }

  byXmlid(xmlid: string): HeldRecord | undefined {
    return [...this.records.values()].find((record) => record.xmlid === xmlid);
  }

  readonly call: OrmCaller = (_model, method, args, kwargs = {}) => {
    this.methods.push(method);
    const context = (kwargs.context ?? {}) as Record<string, unknown>;
    const visible = [...this.records].filter(([, record]) => context.active_test === false || record.active);
    if (method === 'search') {
      if (this.searchAnswer !== undefined) return this.searchAnswer();
      const ids = visible.map(([id]) => id).sort((a, b) => (kwargs.order === 'id desc' ? b - a : a - b));
      return Promise.resolve(typeof kwargs.limit === 'number' ? ids.slice(0, kwargs.limit) : ids);
    }
    if (method === 'search_read') {
      const wanted = ((args[0] as unknown[][])[0]?.[2] ?? []) as number[];
      const fields = (kwargs.fields ?? []) as string[];
      return Promise.resolve(
        visible
          .filter(([id]) => wanted.includes(id))
          .map(([id, record]) => ({
            id,
            ...Object.fromEntries(fields.map((field) => [field, record.values[field] ?? false])),
          })),
      );
    }
    if (method === 'write') {
      const [ids, vals] = args as [number[], Record<string, unknown>];
      for (const id of ids) Object.assign(this.records.get(id)?.values ?? {}, vals);
      return Promise.resolve(true);
    }
    if (method === 'load') {
      const [fields, rows] = args as [string[], unknown[][]];
      const ids = rows.map((row) => {
        const xmlid = String(row[0]);
        const values = Object.fromEntries(fields.slice(1).map((field, column) => [field, row[column + 1]]));
        const held = [...this.records].find(([, record]) => record.xmlid === xmlid);
        if (held === undefined) return this.hold(xmlid, values);
        Object.assign(held[1].values, values);
        return held[0];
      });
      return Promise.resolve({ ids, messages: [] });
    }
    return Promise.reject(new Error(`unexpected ${method}`));
  };
}

const TYPES = new Map([
  ['name', 'char'],
  ['phone', 'char'],
]);
const options = (extra: Partial<UpsertOptions> = {}): UpsertOptions => ({
  model: 'res.partner',
  module: 'osc_sync',
  fieldTypes: () => Promise.resolve(TYPES),
  ...extra,
});
const write = (key: string, payload: Record<string, unknown>): TargetWrite => ({ key, payload });

/** Three partners the console wrote earlier, plus one record of someone else. */
function odooWithPartners(): { odoo: FakeOdoo; ids: number[] } {
  const odoo = new FakeOdoo();
  odoo.hold('base.other', { name: 'Other' });
  const ids = [0, 1, 2].map((n) => odoo.hold(`osc_sync.p_${n}`, { name: `P ${n}`, phone: false }));
  return { odoo, ids };
}

describe('created or updated', () => {
  it('reports a known key that load updated as updated, not created', async () => {
    const { odoo, ids } = odooWithPartners();
    const known = new Map(ids.map((id, n) => [`p_${n}`, String(id)]));
    const writes = ids.map((_, n) => write(`p_${n}`, { name: `P ${n} renamed` }));
    const outcomes = await upsertByLoad(odoo.call, writes, options({ knownTargetIds: known }));
    expect(outcomes).toEqual(
      ids.map((id, n) => ({ key: `p_${n}`, ok: true, targetId: String(id), created: false })),
    );
    expect(odoo.methods).not.toContain('search');
  });

  it('reports a known key whose record is gone and that load made again as created', async () => {
    const { odoo } = odooWithPartners();
    const outcomes = await upsertByLoad(
      odoo.call,
      [write('p_new', { name: 'New' })],
      options({ knownTargetIds: new Map([['p_new', '999']]) }),
    );
    expect(outcomes).toEqual([{ key: 'p_new', ok: true, targetId: '5', created: true }]);
  });

  it.each(['0', '-2', '2.5', 'x'])('ignores a known id of %j: judged by the id sequence', async (bad) => {
    const { odoo, ids } = odooWithPartners();
    const outcomes = await upsertByLoad(
      odoo.call,
      [write('p_1', { name: 'P 1 renamed' }), write('p_new', { name: 'New' })],
      options({
        knownTargetIds: new Map([
          ['p_1', bad],
          ['p_new', bad],
        ]),
      }),
    );
    expect(outcomes).toEqual([
      { key: 'p_1', ok: true, targetId: String(ids[1]), created: false },
      { key: 'p_new', ok: true, targetId: '5', created: true },
    ]);
    expect(odoo.methods).toEqual(['search', 'load']);
  });

  it('judges unknown keys by the highest id before the load, archived records included', async () => {
    const { odoo, ids } = odooWithPartners();
    const archived = odoo.records.get(ids[2] ?? 0);
    if (archived !== undefined) archived.active = false;
    const outcomes = await upsertByLoad(
      odoo.call,
      [write('p_0', { name: 'P 0 again' }), write('p_2', { name: 'P 2 again' })],
      options({ knownTargetIds: new Map([['p_0', String(ids[0])]]) }),
    );
    expect(outcomes.map((outcome) => outcome.ok && outcome.created)).toEqual([false, false]);
  });
});

describe('the known-record path', () => {
  it('sends known keys through load when the field types are not given', async () => {
    const { odoo, ids } = odooWithPartners();
    const known = new Map(ids.map((id, n) => [`p_${n}`, String(id)]));
    const writes = ids.map((_, n) => write(`p_${n}`, { name: `P ${n}` }));
    const outcomes = await upsertByLoad(
      odoo.call,
      writes,
      options({ knownTargetIds: known, fieldTypes: undefined }),
    );
    expect(outcomes.every((outcome) => outcome.ok && !outcome.created)).toBe(true);
    expect(odoo.methods).toEqual(['load']);
  });

  it('reports unchanged known records under their keys and loads the rest of the batch', async () => {
    const { odoo, ids } = odooWithPartners();
    const known = new Map(ids.map((id, n) => [`p_${n}`, String(id)]));
    const told: unknown[] = [];
    const writes = [...ids.map((_, n) => write(`p_${n}`, { name: `P ${n}` })), write('p_new', { name: 'N' })];
    const outcomes = await upsertByLoad(
      odoo.call,
      writes,
      options({ knownTargetIds: known, onKnownUpdates: (details) => told.push(details) }),
    );
    expect(outcomes).toEqual([
      ...ids.map((id, n) => ({ key: `p_${n}`, ok: true, targetId: String(id), created: false })),
      { key: 'p_new', ok: true, targetId: '5', created: true },
    ]);
    expect(told).toEqual([{ model: 'res.partner', groupWrites: 0, unchanged: 3 }]);
    expect(odoo.byXmlid('osc_sync.p_new')?.values).toMatchObject({ name: 'N' });
  });

  it('says nothing when the known-record path neither wrote nor skipped a record', async () => {
    const { odoo, ids } = odooWithPartners();
    const told: unknown[] = [];
    await upsertByLoad(
      odoo.call,
      [write('p_0', { name: 'Changed' })],
      options({ knownTargetIds: new Map([['p_0', String(ids[0])]]), onKnownUpdates: (d) => told.push(d) }),
    );
    expect(told).toEqual([]);
  });

  it('works without an onKnownUpdates listener', async () => {
    const { odoo, ids } = odooWithPartners();
    const outcomes = await upsertByLoad(
      odoo.call,
      [write('p_0', { name: 'P 0' }), write('p_new', { name: 'N' })],
      options({ knownTargetIds: new Map([['p_0', String(ids[0])]]) }),
    );
    expect(outcomes).toEqual([
      { key: 'p_0', ok: true, targetId: String(ids[0]), created: false },
      { key: 'p_new', ok: true, targetId: '5', created: true },
    ]);
  });

  it('reports a grouped write of known records', async () => {
    const odoo = new FakeOdoo();
    const ids = Array.from({ length: MIN_GROUP_SIZE }, (_, n) =>
      odoo.hold(`osc_sync.p_${n}`, { name: `P ${n}` }),
    );
    const told: unknown[] = [];
    const outcomes = await upsertByLoad(
      odoo.call,
      ids.map((_, n) => write(`p_${n}`, { name: `P ${n}`, phone: '+32 9' })),
      options({
        knownTargetIds: new Map(ids.map((id, n) => [`p_${n}`, String(id)])),
        onKnownUpdates: (details) => told.push(details),
      }),
    );
    expect(outcomes.every((outcome) => outcome.ok && !outcome.created)).toBe(true);
    expect(told).toEqual([{ model: 'res.partner', groupWrites: 1, unchanged: 0 }]);
    expect(odoo.methods).toEqual(['search_read', 'write']);
  });

  it('sends a key that appears twice through load in order, even when one copy is unchanged', async () => {
    const { odoo, ids } = odooWithPartners();
    const outcomes = await upsertByLoad(
      odoo.call,
      [write('p_0', { name: 'Renamed' }), write('p_0', { name: 'P 0' })],
      options({ knownTargetIds: new Map([['p_0', String(ids[0])]]) }),
    );
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
    expect(odoo.byXmlid('osc_sync.p_0')?.values.name).toBe('P 0');
  });
});

describe('a batch that cannot be sent', () => {
  it('fails every record with bad-answer when the highest-id search answers in an odd shape', async () => {
    const { odoo } = odooWithPartners();
    odoo.searchAnswer = () => Promise.resolve({ ids: [1] });
    const outcomes = await upsertByLoad(odoo.call, [write('a', { name: 'A' }), write('b', {})], options());
    expect(outcomes).toEqual(
      ['a', 'b'].map((key) => ({
        key,
        ok: false,
        error: {
          class: 'permanent',
          code: 'odoo.bad-answer',
          message: 'res.partner answered in an unexpected shape',
        },
      })),
    );
  });

  it.each([
    [new Error('socket hang up'), 'socket hang up'],
    ['plain text', 'plain text'],
  ])('fails every record as transient odoo.unexpected on %j', async (thrown, message) => {
    const { odoo } = odooWithPartners();
    // A caller may reject with something that is not an Error: upsert must still name it.
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
    odoo.searchAnswer = () => Promise.reject(thrown);
    const outcomes = await upsertByLoad(odoo.call, [write('a', { name: 'A' })], options());
    expect(outcomes).toEqual([
      { key: 'a', ok: false, error: { class: 'transient', code: 'odoo.unexpected', message } },
    ]);
  });

  it('names the key of a posted record it refuses to change', async () => {
    const odoo = new FakeOdoo();
    const id = odoo.hold('osc_sync.inv_1', { state: 'posted', name: 'INV/1', move_type: 'out_invoice' });
    const outcomes = await upsertByLoad(odoo.call, [write('inv_1', { ref: 'x' })], {
      model: 'account.move',
      module: 'osc_sync',
      knownTargetIds: new Map([['inv_1', String(id)]]),
    });
    expect(outcomes).toMatchObject([{ key: 'inv_1', ok: false, error: { class: 'conflict' } }]);
  });
});
