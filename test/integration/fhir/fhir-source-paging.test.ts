import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChargeItem } from 'fhir/r4';
import { startFhirEmulator, DEMO_BAD_RECORDS, type FhirEmulator } from '../../peers/fhir/index.js';
import { ConnectorError } from '../../../main/connectors/types.js';
import { CONNECTION_ID, TOKEN, collect, fhirSource } from './fhir-test-kit.js';

describe('FHIR source: paging and incremental cursor', () => {
  let emulator: FhirEmulator;
  beforeEach(async () => {
    emulator = await startFhirEmulator({ auth: { bearer: TOKEN } });
  });
  afterEach(async () => {
    await emulator.close();
  });

  it('reads every ChargeItem of the demo clinic across pages via next links, in lastUpdated order', async () => {
    const expected = emulator.state.store.count('ChargeItem');
    expect(expected).toBe(121);
    const { pages, records } = await collect(
      fhirSource(emulator.url),
      { resourceType: 'ChargeItem' },
      null,
      25,
    );
    expect(pages.map((page) => page.records.length)).toEqual([25, 25, 25, 25, 21]);
    expect(new Set(records.map((record) => record.sourceId)).size).toBe(expected);
    const times = records.map((record) => Date.parse(record.updatedAt!));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(records.map((record) => record.sourceId)).toContain(DEMO_BAD_RECORDS.priceOutsidePolicy.ref);
    const searches = emulator.state.requests.filter((request) => request.path.startsWith('/fhir/ChargeItem'));
    expect(searches).toHaveLength(5);
    expect(searches[0]!.path).toContain('_sort=_lastUpdated');
    expect(searches[0]!.path).toContain('_count=25');
    expect(searches[1]!.path).toContain('_pageToken=');
  });

  it('carries id, version and lastUpdated into each record', async () => {
    const { records } = await collect(fhirSource(emulator.url), { resourceType: 'Location' }, null, 50);
    expect(records).toHaveLength(3);
    const first = records[0]!;
    expect(first.type).toBe('Location');
    expect(first.sourceId).toBe('Location/loc-1');
    expect(first.version).toBe('1');
    expect(first.updatedAt).toBe((first.data as { meta: { lastUpdated: string } }).meta.lastUpdated);
  });

  it('re-reads the overlap window but delivers only records that are new or changed', async () => {
    const source = fhirSource(emulator.url, { settings: { overlapSeconds: 3600 } });
    const first = await collect(source, { resourceType: 'ChargeItem' }, null, 50);
    expect(first.records).toHaveLength(121);

    // Nothing changed: the overlap re-reads the last hour, and every record in it is dropped.
    const requestsBefore = emulator.state.requests.length;
    const idle = await collect(source, { resourceType: 'ChargeItem' }, first.cursor, 50);
    expect(idle.records).toHaveLength(0);
    expect(emulator.state.requests.length).toBeGreaterThan(requestsBefore);
    const reread = emulator.state.requests.at(-1)!.path;
    expect(reread).toContain('_lastUpdated=gt');

    // One record changes: exactly it comes back, as version 2.
    const current = emulator.state.store.get('ChargeItem', 'charge-enc-0007')!.build() as ChargeItem & {
      id: string;
    };
    emulator.state.put({ ...current, status: 'billed' });
    const changed = await collect(source, { resourceType: 'ChargeItem' }, idle.cursor, 50);
    expect(changed.records.map((record) => [record.sourceId, record.version])).toEqual([
      ['ChargeItem/charge-enc-0007', '2'],
    ]);

    // And a run from an older cursor sees it once more only if the version is new to that cursor.
    const again = await collect(source, { resourceType: 'ChargeItem' }, changed.cursor, 50);
    expect(again.records).toHaveLength(0);
  });

  it('does not lose a record committed "late" with a timestamp inside the overlap window', async () => {
    const source = fhirSource(emulator.url, { settings: { overlapSeconds: 120 } });
    const first = await collect(source, { resourceType: 'Patient' }, null, 100);
    const cursorTime = Date.parse((JSON.parse(first.cursor!) as { lastUpdated: string }).lastUpdated);
    // A record stamped 30 s before the cursor, arriving after the poll (out-of-order commit).
    emulator.state.store.put({ resourceType: 'Patient', id: 'late-1', active: true }, cursorTime - 30_000);
    const next = await collect(source, { resourceType: 'Patient' }, first.cursor, 100);
    expect(next.records.map((record) => record.sourceId)).toEqual(['Patient/late-1']);
  });

  it('starts a backfill from a date cursor (minus the overlap)', async () => {
    const all = await collect(fhirSource(emulator.url), { resourceType: 'Encounter' }, null, 200);
    const middle = all.records[60]!.updatedAt!;
    const exact = fhirSource(emulator.url, { settings: { overlapSeconds: 0 } });
    const backfill = await collect(exact, { resourceType: 'Encounter' }, middle, 200);
    expect(backfill.records.length).toBe(59);
    const withOverlap = await collect(
      fhirSource(emulator.url, { settings: { overlapSeconds: 600 } }),
      { resourceType: 'Encounter' },
      middle,
      200,
    );
    const since = Date.parse(middle) - 600_000;
    expect(withOverlap.records.length).toBe(
      all.records.filter((record) => Date.parse(record.updatedAt!) > since).length,
    );
    expect(withOverlap.records.length).toBeGreaterThan(59);
  });

  it('passes extra search parameters and refuses ones the server does not know', async () => {
    const { records } = await collect(
      fhirSource(emulator.url),
      {
        resourceType: 'ChargeItem',
        params: { identifier: 'http://clinic.example/fhir/id/charge|charge-bad-price' },
      },
      null,
      10,
    );
    expect(records.map((record) => record.sourceId)).toEqual(['ChargeItem/charge-bad-price']);
    await expect(
      collect(fhirSource(emulator.url), { resourceType: 'ChargeItem', params: { colour: 'red' } }, null, 10),
    ).rejects.toMatchObject({
      class: 'permanent',
      code: 'fhir.400.invalid',
      message: expect.stringContaining('Unknown search parameter: colour') as unknown,
    });
  });

  it('refuses a wrong token as an authentication failure, and a missing one before calling', async () => {
    await expect(
      collect(fhirSource(emulator.url, { token: 'wrong' }), { resourceType: 'Patient' }, null, 10),
    ).rejects.toMatchObject({
      class: 'authentication',
      code: 'fhir.401.login',
    });
    const before = emulator.state.requests.length;
    await expect(
      collect(fhirSource(emulator.url, { token: null }), { resourceType: 'Patient' }, null, 10),
    ).rejects.toMatchObject({
      code: 'fhir.no-secret',
    });
    expect(emulator.state.requests.length).toBe(before);
  });

  it('an unsupported resource type is a configuration problem', async () => {
    await expect(
      collect(fhirSource(emulator.url), { resourceType: 'Observation' }, null, 10),
    ).rejects.toMatchObject({
      class: 'configuration',
      code: 'fhir.404.not-supported',
    });
  });

  it('never leaks the token into an error message', async () => {
    try {
      await collect(
        fhirSource(emulator.url, { token: 'wrong-token-value' }),
        { resourceType: 'Patient' },
        null,
        10,
      );
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConnectorError);
      expect(JSON.stringify((error as ConnectorError).toInfo())).not.toContain('wrong-token-value');
      expect((error as ConnectorError).message).not.toContain(CONNECTION_ID);
    }
  });
});

describe('FHIR source: basic auth and large sets', () => {
  it('authenticates with basic auth', async () => {
    const emulator = await startFhirEmulator({
      auth: { basic: { username: 'osc', password: 'pw-for-tests' } },
    });
    try {
      const source = fhirSource(emulator.url, {
        settings: { authMethod: 'basic', username: 'osc' },
        token: 'pw-for-tests',
      });
      const { records } = await collect(source, { resourceType: 'Practitioner' }, null, 100);
      expect(records).toHaveLength(8);
      const wrong = fhirSource(emulator.url, {
        settings: { authMethod: 'basic', username: 'other' },
        token: 'pw-for-tests',
      });
      await expect(collect(wrong, { resourceType: 'Practitioner' }, null, 100)).rejects.toMatchObject({
        class: 'authentication',
      });
    } finally {
      await emulator.close();
    }
  });

  it('pages through 20k generated records without duplicates', async () => {
    const emulator = await startFhirEmulator({ seed: 'empty', bulkChargeItems: 20_000 });
    try {
      const source = fhirSource(emulator.url, { settings: { authMethod: 'none' } });
      const { pages, records } = await collect(source, { resourceType: 'ChargeItem' }, null, 1000);
      expect(pages).toHaveLength(20);
      expect(new Set(records.map((record) => record.sourceId)).size).toBe(20_000);
    } finally {
      await emulator.close();
    }
  });
});
