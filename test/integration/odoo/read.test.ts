import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OdooConnector } from '../../../main/connectors/odoo/index.js';
import type { SourcePage } from '../../../main/connectors/types.js';
import { startOdooEmulator, type OdooEmulator } from '../../peers/odoo/index.js';
import { connectorFor, TEST_API_KEY } from './support/connector-setup.js';

/** Incremental search_read on write_date with id tie-breaker and overlap; fields_get. */

let emulator: OdooEmulator;
let odoo: OdooConnector;
let now: Date;

const at = (iso: string): void => {
  now = new Date(iso);
};

beforeEach(async () => {
  at('2026-11-20T08:00:00Z');
  emulator = await startOdooEmulator({ apiKeys: [{ key: TEST_API_KEY }], clock: () => now });
  odoo = connectorFor(emulator.url, TEST_API_KEY);
});
afterEach(async () => {
  await odoo.close();
  await emulator.close();
});

async function collect(pages: AsyncIterable<SourcePage>): Promise<SourcePage[]> {
  const all: SourcePage[] = [];
  for await (const page of pages) {
    all.push(page);
    if (all.length > 100) throw new Error('runaway paging');
  }
  return all;
}

function addPatients(names: readonly string[]): number[] {
  return names.map((name) => emulator.state.db.create('res.partner', { name }, 2));
}

const selector = { model: 'res.partner', fields: ['name'], domain: [['name', 'like', 'Patient']] };

describe('incremental reads', () => {
  it('pages through records that share one write_date exactly once, in (write_date, id) order', async () => {
    at('2026-11-21T09:00:00Z');
    const ids = addPatients([
      'Patient A',
      'Patient B',
      'Patient C',
      'Patient D',
      'Patient E',
      'Patient F',
      'Patient G',
    ]);
    const pages = await collect(odoo.searchReadIncremental({ selector, cursor: null, pageSize: 3 }));
    expect(pages.map((page) => page.records.length)).toEqual([3, 3, 1]);
    const seen = pages.flatMap((page) => page.records.map((record) => Number(record.sourceId)));
    expect(seen).toEqual(ids);
    const first = pages[0]!.records[0]!;
    expect(first).toMatchObject({
      type: 'res.partner',
      version: '2026-11-21 09:00:00',
      updatedAt: '2026-11-21T09:00:00Z',
    });
    expect(first.data).toMatchObject({ name: 'Patient A' });
    expect(JSON.parse(pages[2]!.cursor!)).toEqual({ w: '2026-11-21 09:00:00', i: ids[6] });
  });

  it('reads only what changed since the cursor (plus the overlap window) and never moves the cursor back', async () => {
    at('2026-11-21T09:00:00Z');
    const [a] = addPatients(['Patient A']);
    at('2026-11-21T10:00:00Z');
    addPatients(['Patient B']);
    const firstRun = await collect(
      odoo.extract({ selector: { ...selector, overlapSeconds: 60 }, cursor: null, pageSize: 10 }),
    );
    const cursor = firstRun.at(-1)!.cursor;

    at('2026-11-21T11:00:00Z');
    emulator.state.db.write('res.partner', [a!], { name: 'Patient A2' }, 2);
    const secondRun = await collect(
      odoo.extract({ selector: { ...selector, overlapSeconds: 60 }, cursor, pageSize: 10 }),
    );
    const names = secondRun.flatMap((page) =>
      page.records.map((record) => (record.data as { name: string }).name),
    );
    // B is re-read because it sits inside the overlap; A comes back with its new version.
    expect(names).toEqual(['Patient B', 'Patient A2']);
    expect(JSON.parse(secondRun.at(-1)!.cursor!)).toEqual({ w: '2026-11-21 11:00:00', i: a });
  });

  it('catches a row committed late with an older write_date thanks to the overlap window', async () => {
    at('2026-11-21T10:00:00Z');
    addPatients(['Patient A']);
    const cursor = (await collect(odoo.extract({ selector, cursor: null, pageSize: 10 }))).at(-1)!.cursor;
    // A long transaction started at 09:59:30 commits now: its write_date is before the cursor.
    at('2026-11-21T09:59:30Z');
    addPatients(['Patient Late']);
    const withOverlap = await collect(
      odoo.extract({ selector: { ...selector, overlapSeconds: 120 }, cursor, pageSize: 10 }),
    );
    expect(
      withOverlap.flatMap((page) => page.records.map((record) => (record.data as { name: string }).name)),
    ).toContain('Patient Late');
    // The page's cursor stays at the committed position: it never goes backwards.
    expect(JSON.parse(withOverlap.at(-1)!.cursor!)).toEqual(JSON.parse(cursor!));
    const withoutOverlap = await collect(
      odoo.extract({ selector: { ...selector, overlapSeconds: 0 }, cursor, pageSize: 10 }),
    );
    expect(
      withoutOverlap.flatMap((page) => page.records.map((record) => (record.data as { name: string }).name)),
    ).not.toContain('Patient Late');
  });

  it('returns no page when nothing matches', async () => {
    expect(await collect(odoo.extract({ selector, cursor: null, pageSize: 5 }))).toEqual([]);
  });

  it('rejects a foreign cursor, a selector without model and an unknown field in the domain', async () => {
    await expect(collect(odoo.extract({ selector, cursor: 'page=2', pageSize: 5 }))).rejects.toMatchObject({
      class: 'configuration',
      code: 'odoo.bad-cursor',
    });
    await expect(
      collect(odoo.extract({ selector: { domain: [] }, cursor: null, pageSize: 5 })),
    ).rejects.toMatchObject({
      class: 'configuration',
    });
    await expect(
      collect(
        odoo.extract({
          selector: { model: 'res.partner', domain: [['nope', '=', 1]] },
          cursor: null,
          pageSize: 5,
        }),
      ),
    ).rejects.toMatchObject({ class: 'permanent', code: 'odoo.unknown-field' });
  });
});

describe('fields_get and external-id lookups', () => {
  it('lists the fields of a model for the mapping editor', async () => {
    const fields = await odoo.fieldsGet('res.partner');
    const byName = new Map(fields.map((field) => [field.name, field]));
    expect(byName.get('country_id')).toMatchObject({
      type: 'many2one',
      relation: 'res.country',
      label: 'Country',
    });
    expect(byName.get('type')?.selection).toContainEqual(['contact', 'Contact']);
    expect(byName.get('child_ids')).toMatchObject({ type: 'one2many', relation: 'res.partner' });
    await expect(odoo.fieldsGet('res.nope')).rejects.toMatchObject({
      class: 'permanent',
      code: 'odoo.unknown-model',
    });
  });

  it('looks up many external ids in bulk, across modules, and omits unknown ones', async () => {
    const found = await odoo.lookupExternalIds([
      'base.us',
      'base.main_partner',
      'base.nothing',
      'unknown_local',
    ]);
    expect(Object.fromEntries(found)).toEqual({
      'base.us': { model: 'res.country', resId: 233 },
      'base.main_partner': { model: 'res.partner', resId: 1 },
    });
  });
});
