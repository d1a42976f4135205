import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EngineRequestError } from '../../../main/engine/runner/engine-errors.js';
import { FallbackEntriesRepo } from '../../../main/engine/fallback/fallback-entries-repo.js';
import { OutboxRepo } from '../../../main/engine/outbox/outbox-repo.js';
import { GLOVES_ENTRY, openFallbackBench, type FallbackBench } from './fallback-seed.js';

/**
 * Manual fallback entry (issue 11, item 3) on a real store with the demo's supply-use flow: checked
 * against the form, mapped and validated with the flow's active mapping, and stored with its outbox
 * write in one transaction under a provisional key, or refused with nothing stored.
 */
describe('FallbackWork.enter', () => {
  let bench: FallbackBench;
  beforeEach(() => {
    bench = openFallbackBench();
  });
  afterEach(() => bench.close());

  const enter = (values: Record<string, string | number>) =>
    bench.work.enter({ flowId: bench.flowId, values, reason: 'EHR down since 08:10', enteredBy: 'its' });
  const outboxRows = () =>
    bench.store.db
      .prepare<
        [],
        {
          run_id: string;
          flow_id: string;
          connection_id: string;
          target_key: string;
          source_type: string;
          source_id: string;
          source_json: string;
          payload_json: string;
          reason: string;
          mapping_version: number;
          state: string;
        }
      >('SELECT * FROM outbox_writes ORDER BY seq')
      .all();
  const entryCount = () =>
    bench.store.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM fallback_entries').get()?.n;

  it('queues the mapped write under the provisional key, with the entry, and says so', async () => {
    const entry = await enter({ ...GLOVES_ENTRY, quantity: '2' });

    expect(entry.id).toMatch(/^fallback-[0-9a-f]{16}$/);
    expect(entry.provisionalKey).toBe(`supply_use_${entry.id.replace(/-/g, '_')}`);
    expect(entry).toMatchObject({
      flowId: bench.flowId,
      state: 'queued',
      enteredBy: 'its',
      reason: 'EHR down since 08:10',
      matchedSourceId: null,
      differences: [],
      exceptionId: null,
    });
    // A numeric text is taken as its number.
    expect(entry.values.quantity).toBe(2);

    const rows = outboxRows();
    expect(rows).toHaveLength(1);
    const row = rows[0];
    expect(row).toMatchObject({
      run_id: entry.id,
      flow_id: bench.flowId,
      connection_id: bench.targetConnectionId,
      target_key: entry.provisionalKey,
      source_type: 'SupplyDelivery',
      source_id: entry.id,
      reason: 'behind',
      mapping_version: 1,
      state: 'waiting',
    });
    expect(JSON.parse(row?.payload_json ?? '{}')).toEqual({
      name: GLOVES_ENTRY.description,
      product_uom_qty: 2,
      quantity: 2,
      origin: GLOVES_ENTRY.encounter,
      'product_id/id': 'osc_sync.product_SUP_GLOVE_M',
      'location_id/id': 'stock.stock_location_stock',
      'location_dest_id/id': 'osc_sync.location_clinic_consumption',
    });
    // The record the entry stands in for: values at their paths, the fixed values, the provisional id.
    const source = JSON.parse(row?.source_json ?? '{}') as Record<string, unknown>;
    expect(source).toMatchObject({
      id: entry.id,
      resourceType: 'SupplyDelivery',
      patient: { reference: GLOVES_ENTRY.patient },
      occurrenceDateTime: GLOVES_ENTRY.time,
      extension: [
        {
          url: 'http://clinic.example/fhir/StructureDefinition/supply-use-encounter',
          valueReference: { reference: GLOVES_ENTRY.encounter },
        },
      ],
    });
    expect(new OutboxRepo(bench.store.db).waitingPage(bench.flowId, 0, 10)[0]?.key).toBe(
      entry.provisionalKey,
    );
    expect(bench.events).toEqual([
      { type: 'outages.changed', change: 'fallback', connectionId: null, flowId: bench.flowId },
    ]);
    const stored = bench.store.db
      .prepare<[string], { match_json: string }>('SELECT match_json FROM fallback_entries WHERE id = ?')
      .get(entry.id);
    // The match keys normalised: encounter, code, quantity, and the time as its UTC day.
    expect(JSON.parse(stored?.match_json ?? 'null')).toEqual([
      GLOVES_ENTRY.encounter,
      GLOVES_ENTRY.code,
      2,
      '2026-12-02',
    ]);
  });

  it('queues as degraded or breaker when the target is switched off or its breaker is open', async () => {
    const db = bench.store.db;
    db.prepare(
      "INSERT INTO connection_degraded (connection_id, reason, since, switched_by) VALUES (?, 'planned', ?, 'admin')",
    ).run(bench.targetConnectionId, new Date().toISOString());
    await enter(GLOVES_ENTRY);
    db.prepare('DELETE FROM connection_degraded').run();
    db.prepare("INSERT INTO connection_breakers (connection_id, state, since) VALUES (?, 'open', ?)").run(
      bench.targetConnectionId,
      new Date().toISOString(),
    );
    await enter(GLOVES_ENTRY);
    expect(outboxRows().map((row) => row.reason)).toEqual(['degraded', 'breaker']);
  });

  it('refuses values the form does not take, listing every problem, and stores nothing', async () => {
    const refusal = enter({
      encounter: '  ',
      code: 'SUP-GLOVE-M',
      description: 'Gloves',
      quantity: 'two',
      time: '2026-12-02T09:15:00',
      shoeSize: 42,
    });
    await expect(refusal).rejects.toBeInstanceOf(EngineRequestError);
    await expect(refusal).rejects.toMatchObject({ code: 'invalid-input' });
    const message = await refusal.catch((error: unknown) => (error as Error).message);
    expect(message).toContain('"shoeSize" is not a field of this form');
    expect(message).toContain('Encounter is required.');
    expect(message).toContain('Patient is required.');
    expect(message).toContain('Quantity: "two" is not a number.');
    expect(message).toContain('Time of use: give a date and time with its UTC offset');
    expect(outboxRows()).toHaveLength(0);
    expect(entryCount()).toBe(0);
    expect(bench.events).toHaveLength(0);
  });

  it("refuses an entry the flow's rules or mapping reject, with their words, and stores nothing", async () => {
    await expect(enter({ ...GLOVES_ENTRY, quantity: -1 })).rejects.toThrow(
      "The entry breaks the flow's rules: The quantity must be positive.",
    );
    await expect(enter({ ...GLOVES_ENTRY, code: 'SUP-UNKNOWN' })).rejects.toThrow(
      /^The flow's mapping cannot map this entry: .*SUP-UNKNOWN/,
    );
    expect(outboxRows()).toHaveLength(0);
    expect(entryCount()).toBe(0);
  });

  it("shows the outbox row's state: queued, then sent or failed, newest first", async () => {
    const first = await enter(GLOVES_ENTRY);
    const second = await enter({ ...GLOVES_ENTRY, quantity: 3 });
    const third = await enter({ ...GLOVES_ENTRY, quantity: 4 });
    const outbox = new OutboxRepo(bench.store.db);
    const [a, b] = outbox.waitingPage(bench.flowId, 0, 10);
    outbox.settle(a?.seq ?? 0, 'sent', 'run_drain', '17', new Date().toISOString());
    outbox.settle(b?.seq ?? 0, 'failed', 'run_drain', null, new Date().toISOString());
    const entries = new FallbackEntriesRepo(bench.store.db);
    expect(entries.list({ flowId: bench.flowId, limit: 10 }).map((e) => [e.id, e.state])).toEqual([
      [third.id, 'queued'],
      [second.id, 'failed'],
      [first.id, 'sent'],
    ]);
    expect(entries.list({ state: 'sent', limit: 10 }).map((e) => e.id)).toEqual([first.id]);
    expect(entries.list({ flowId: bench.flowId, limit: 1 }).map((e) => e.id)).toEqual([third.id]);
  });

  it('refuses an unknown flow', async () => {
    await expect(
      bench.work.enter({ flowId: 'flow_00000000000000000000', values: {}, reason: 'x', enteredBy: 'its' }),
    ).rejects.toMatchObject({ code: 'not-found' });
  });
});
