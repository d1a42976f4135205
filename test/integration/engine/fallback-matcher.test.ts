import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FallbackEntriesRepo } from '../../../main/engine/fallback/fallback-entries-repo.js';
import type { FallbackMatcher } from '../../../main/engine/fallback/fallback-types.js';
import { OutboxRepo } from '../../../main/engine/outbox/outbox-repo.js';
import type { MappedRecord } from '../../../main/engine/pipeline/map-page.js';
import { GLOVES_ENTRY, openFallbackBench, supplyDelivery, type FallbackBench } from './fallback-seed.js';

/**
 * The source system is back and delivers the events entered by hand during its outage (issue 11,
 * item 3): a record matching an entry's keys (encounter, code, quantity, day) is not written twice;
 * a match with other values differing is flagged and opens an exception for review; the same page
 * read twice changes nothing more; a later version of a matched record is held back too.
 */
describe('fallback matching', () => {
  let bench: FallbackBench;
  beforeEach(() => {
    bench = openFallbackBench();
  });
  afterEach(() => bench.close());

  const enter = (values: Record<string, string | number> = {}) =>
    bench.work.enter({
      flowId: bench.flowId,
      values: { ...GLOVES_ENTRY, ...values },
      reason: 'EHR down',
      enteredBy: 'its',
    });
  const matcher = (): FallbackMatcher => {
    const found = bench.work.matcherFor(bench.flowId);
    if (found === null) throw new Error('no matcher for a flow with entries');
    return found;
  };
  const ids = (records: readonly MappedRecord[]) => records.map((record) => record.source.sourceId);
  const entries = () => new FallbackEntriesRepo(bench.store.db);
  const entry = (id: string) => entries().get(id);
  const exceptions = () =>
    bench.store.db
      .prepare<
        [],
        {
          id: string;
          source_id: string;
          error_code: string;
          error_message: string;
          source_payload: string;
          target_key: string;
          attempts: number;
          state: string;
        }
      >('SELECT * FROM exceptions ORDER BY created_at')
      .all();
  const attempts = () =>
    bench.store.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM exception_attempts').get()?.n;

  it('holds back the source record matching an entry (same day, other time) and writes the rest', async () => {
    const typed = await enter();
    bench.events.length = 0;
    const records = await bench.mapped([
      supplyDelivery('sd-1', { time: '2026-12-02T16:40:00+01:00' }),
      supplyDelivery('sd-2', { encounter: 'Encounter/enc-0043' }),
      supplyDelivery('sd-3', { time: '2026-12-03T09:15:00+01:00' }),
    ]);
    expect(ids(matcher()(records, bench.runContext))).toEqual(['SupplyDelivery/sd-2', 'SupplyDelivery/sd-3']);
    expect(entry(typed.id)).toMatchObject({
      state: 'matched',
      matchedSourceId: 'SupplyDelivery/sd-1',
      differences: [],
      exceptionId: null,
    });
    expect(exceptions()).toHaveLength(0);
    expect(bench.events).toEqual([
      { type: 'outages.changed', change: 'fallback', connectionId: null, flowId: bench.flowId },
    ]);
  });

  it('flags a match whose other values differ and opens an exception finance can read', async () => {
    const typed = await enter();
    const records = await bench.mapped([supplyDelivery('sd-1', { location: 'Location/loc-3' })]);
    expect(matcher()(records, bench.runContext)).toEqual([]);

    const [exception] = exceptions();
    expect(exception).toMatchObject({
      source_id: 'SupplyDelivery/sd-1',
      error_code: 'fallback.differs',
      target_key: typed.provisionalKey,
      state: 'open',
    });
    expect(exception?.error_message).toContain('Location: entered "Location/loc-1", source "Location/loc-3"');
    expect(exception?.error_message).toContain(`fallback entry ${typed.id} by its`);
    expect(exception?.source_payload).toBe(records[0]?.sourceJson);
    expect(entry(typed.id)).toMatchObject({
      state: 'differs',
      matchedSourceId: 'SupplyDelivery/sd-1',
      differences: ['location'],
      exceptionId: exception?.id,
    });
    expect(bench.events).toContainEqual({
      type: 'exceptions.changed',
      flowId: bench.flowId,
      ids: [exception?.id],
      state: 'open',
    });
  });

  it('answers the same and changes nothing when the same page comes again', async () => {
    const typed = await enter();
    const records = await bench.mapped([
      supplyDelivery('sd-1', { location: 'Location/loc-3' }),
      supplyDelivery('sd-2', { encounter: 'Encounter/enc-0043' }),
    ]);
    const first = ids(matcher()(records, bench.runContext));
    const before = { entries: entries().list({ limit: 10 }), exceptions: exceptions(), attempts: attempts() };
    bench.events.length = 0;
    // A crash before the page's commit: the pipeline reads it again, with a fresh matcher.
    const second = ids(matcher()(records, bench.runContext));
    expect(second).toEqual(first);
    expect(second).toEqual(['SupplyDelivery/sd-2']);
    expect({
      entries: entries().list({ limit: 10 }),
      exceptions: exceptions(),
      attempts: attempts(),
    }).toEqual(before);
    expect(bench.events).toEqual([]);
    expect(entry(typed.id)?.state).toBe('differs');
  });

  it('holds back later versions of a matched record, flagging one whose values changed', async () => {
    const typed = await enter();
    const run = matcher();
    expect(run(await bench.mapped([supplyDelivery('sd-1')]), bench.runContext)).toEqual([]);
    expect(entry(typed.id)?.state).toBe('matched');

    // Version 2 changes nothing the form knows (a status correction): held back, still matched.
    const same = supplyDelivery('sd-1', {}, '2');
    same.status = 'completed ';
    expect(run(await bench.mapped([same]), bench.runContext)).toEqual([]);
    expect(entry(typed.id)?.state).toBe('matched');
    expect(exceptions()).toHaveLength(0);

    // Version 3 says 3 gloves, not 2: still not written again, but flagged for review.
    expect(run(await bench.mapped([supplyDelivery('sd-1', { quantity: 3 }, '3')]), bench.runContext)).toEqual(
      [],
    );
    expect(entry(typed.id)).toMatchObject({ state: 'differs', differences: ['quantity'] });
    const [exception] = exceptions();
    expect(exception?.error_message).toContain('(a later version)');
    expect(exception?.error_message).toContain('Quantity: entered 2, source 3');
    expect(entry(typed.id)?.exceptionId).toBe(exception?.id);
  });

  it('matches one record per entry, oldest entry first', async () => {
    const older = await enter({ location: 'Location/loc-1' });
    const newer = await enter({ location: 'Location/loc-2' });
    const records = await bench.mapped([
      supplyDelivery('sd-1', { location: 'Location/loc-2' }),
      supplyDelivery('sd-2', { location: 'Location/loc-2' }),
      supplyDelivery('sd-3', { location: 'Location/loc-2' }),
    ]);
    expect(ids(matcher()(records, bench.runContext))).toEqual(['SupplyDelivery/sd-3']);
    expect(entry(older.id)).toMatchObject({ matchedSourceId: 'SupplyDelivery/sd-1', state: 'differs' });
    expect(entry(newer.id)).toMatchObject({ matchedSourceId: 'SupplyDelivery/sd-2', state: 'matched' });
  });

  it('lets the source record through when the entry could not be written', async () => {
    const typed = await enter();
    const outbox = new OutboxRepo(bench.store.db);
    const [write] = outbox.waitingPage(bench.flowId, 0, 1);
    outbox.settle(write?.seq ?? 0, 'failed', 'run_drain', null, new Date().toISOString());
    const records = await bench.mapped([supplyDelivery('sd-1')]);
    expect(ids(matcher()(records, bench.runContext))).toEqual(['SupplyDelivery/sd-1']);
    expect(entry(typed.id)?.state).toBe('failed');
  });

  it('shows an entry as failed when its write fails after the match held the source record back', async () => {
    const typed = await enter();
    expect(matcher()(await bench.mapped([supplyDelivery('sd-1')]), bench.runContext)).toEqual([]);
    expect(entry(typed.id)?.state).toBe('matched');
    const outbox = new OutboxRepo(bench.store.db);
    const [write] = outbox.waitingPage(bench.flowId, 0, 1);
    outbox.settle(write?.seq ?? 0, 'failed', 'run_drain', null, new Date().toISOString());
    expect(entry(typed.id)).toMatchObject({ state: 'failed', matchedSourceId: 'SupplyDelivery/sd-1' });
  });

  it("never takes an entry's own write (drained from the outbox) for the source's event", async () => {
    const typed = await enter();
    const own = new OutboxRepo(bench.store.db).waitingPage(bench.flowId, 0, 10);
    expect(ids(own)).toEqual([typed.id]);
    expect(ids(matcher()(own, bench.runContext))).toEqual([typed.id]);
    expect(entry(typed.id)?.state).toBe('queued');
  });

  it('gives no matcher to a flow without entries', () => {
    expect(bench.work.matcherFor(bench.flowId)).toBeNull();
    expect(bench.work.matcherFor('flow_00000000000000000000')).toBeNull();
  });
});

describe('fallback matching without fallback settings', () => {
  it('gives no matcher: a derived form has no match keys', async () => {
    const bench = openFallbackBench(null);
    try {
      const typed = await bench.work.enter({
        flowId: bench.flowId,
        values: { 'suppliedItem.quantity.value': '2', 'patient.reference': 'Patient/pat-007' },
        reason: 'EHR down',
        enteredBy: 'admin',
      });
      expect(typed.state).toBe('queued');
      expect(bench.work.matcherFor(bench.flowId)).toBeNull();
    } finally {
      bench.close();
    }
  });
});
