import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FallbackEntry } from '../../../shared/domain/fallback.js';
import type { Run } from '../../../shared/domain/run.js';
import { GLOVES_ENTRY, supplyDelivery } from '../engine/fallback-seed.js';
import { FallbackLateEnv } from './fallback-late-env.js';

/**
 * Manual fallback entries matched to source events that arrive late (issue 11, "Done when"), with
 * processes as a user runs them: a real `osc serve`, the FHIR emulator as the EHR, the Odoo emulator.
 * The EHR is down (degraded mode, switched by the administrator); IT staff enter two supply uses by
 * hand, which go to Odoo at once (Odoo is up); the EHR comes back and delivers those two events late
 * (one equal, one with another location) and a new one. Odoo must hold each event once (0 double
 * postings), the differing match must be flagged for finance, and a later correction of a matched
 * event must be held back and flagged, not posted.
 */

/** Entry 2: another encounter and supply, used at loc-1 (the EHR later says loc-2). */
const SYRINGES_ENTRY = {
  ...GLOVES_ENTRY,
  encounter: 'Encounter/enc-0043',
  patient: 'Patient/pat-011',
  code: 'SUP-SYRINGE-5ML',
  description: 'Syringe 5 ml, luer lock',
  quantity: 3,
  time: '2026-12-02T10:20:00+01:00',
} as const;

/**
 * Every record read is accounted for once: unchanged (matched ones included), written, deferred or
 * failed (at any stage); those that mapped are all but the map/validate failures.
 */
function expectCountsAddUp(run: Run): void {
  const { read, mapped, unchanged, written, failed } = run.counts;
  const deferred = run.counts.deferred ?? 0;
  expect(unchanged + written + deferred + failed, JSON.stringify(run.counts)).toBe(read);
  expect(mapped).toBeGreaterThanOrEqual(unchanged + written + deferred);
  expect(mapped).toBeLessThanOrEqual(read);
}

describe('manual fallback entries matched to late source events (osc serve + FHIR and Odoo emulators)', () => {
  let env: FallbackLateEnv;
  const entries: FallbackEntry[] = [];

  beforeAll(async () => {
    env = await FallbackLateEnv.start();
  }, 30_000);

  afterAll(async () => {
    // Undefined when start() failed: nothing to close then.
    await (env as FallbackLateEnv | undefined)?.close();
  });

  const entriesNow = async (): Promise<Map<string, FallbackEntry>> => {
    const listed = await env.it.value('fallback.list', { flowId: env.flow.id, limit: 100 });
    return new Map(listed.map((entry) => [entry.id, entry]));
  };

  it('the EHR is down: IT staff enter two supply uses by hand, sent to Odoo at once under provisional keys', async () => {
    await env.admin.value('outages.degrade', {
      connectionId: env.fhirConnectionId,
      reason: 'EHR down for maintenance (fallback test)',
    });
    const form = await env.it.value('fallback.form', { flowId: env.flow.id });
    expect(form.matchKeys).toEqual(['encounter', 'code', 'quantity', 'time']);
    expect(form.targetUp).toBe(true);

    for (const values of [GLOVES_ENTRY, SYRINGES_ENTRY])
      entries.push(
        await env.it.value('fallback.enter', {
          flowId: env.flow.id,
          values,
          reason: 'Written on the paper form during the EHR outage',
        }),
      );
    expect(entries.map((entry) => entry.provisionalKey)).toEqual([
      expect.stringMatching(/^supply_use_fallback_[0-9a-f]{16}$/),
      expect.stringMatching(/^supply_use_fallback_[0-9a-f]{16}$/),
    ]);
    await env.settled();
    const byId = await entriesNow();
    expect(entries.map((entry) => byId.get(entry.id)?.state)).toEqual(['sent', 'sent']);
    expect(
      env
        .supplyMoves()
        .map((move) => `${move.origin}×${String(move.quantity)}`)
        .sort(),
    ).toEqual(['Encounter/enc-0042×2', 'Encounter/enc-0043×3']);
  }, 20_000);

  it('finance may not enter a fallback transaction: 403 from the server, nothing sent', async () => {
    const finance = await env.rawSignIn('finance', env.financePassword);
    const refused = await env.rawCall(finance, 'fallback.enter', {
      flowId: env.flow.id,
      values: { ...GLOVES_ENTRY, encounter: 'Encounter/enc-0099' },
      reason: 'Finance trying to enter a supply use',
    });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await env.settled();
    expect(env.supplyMoves()).toHaveLength(2);
    expect(await entriesNow()).toHaveProperty('size', 2);
  });

  it('the EHR comes back and delivers late: matched events are not posted twice, the differing one is flagged', async () => {
    // (a) entry 1's event, later the same day; (b) entry 2's event at another location; (c) a new use.
    // The EHR holds them before the console reads it again: switched back, it reads all three late.
    await env.deliver(supplyDelivery('sd-late-a', { time: '2026-12-02T11:05:00+01:00' }));
    await env.deliver(supplyDelivery('sd-late-b', { ...SYRINGES_ENTRY, location: 'Location/loc-2' }));
    await env.deliver(
      supplyDelivery('sd-new-c', {
        encounter: 'Encounter/enc-0050',
        patient: 'Patient/pat-020',
        quantity: 1,
      }),
    );
    const before = new Set((await env.settled()).map((run) => run.id));
    await env.admin.value('outages.restore', {
      connectionId: env.fhirConnectionId,
      note: 'EHR back (fallback test)',
    });
    // Switching the source back wakes its flows (a 'resume' run may read first); then Run now.
    const manual = await env.runNow();
    const runs = (await env.settled()).filter((run) => !before.has(run.id));
    expect(runs.map((run) => run.id)).toContain(manual.id);
    for (const run of runs) {
      expect(run.status, `${JSON.stringify(run)}\n${env.logTail()}`).toBe('succeeded');
      expectCountsAddUp(run);
    }
    // 0 double postings: the two entries and the new use, nothing else.
    const moves = env.supplyMoves();
    expect(moves, 'stock moves in Odoo').toHaveLength(3);
    expect(moves.map((move) => `${move.origin}×${String(move.quantity)}`).sort()).toEqual([
      'Encounter/enc-0042×2',
      'Encounter/enc-0043×3',
      'Encounter/enc-0050×1',
    ]);

    // Over the runs since the EHR came back: 3 read, 2 held back as matched, 1 written.
    const total = (name: 'read' | 'mapped' | 'unchanged' | 'written' | 'failed'): number =>
      runs.reduce((sum, run) => sum + run.counts[name], 0);
    expect({
      read: total('read'),
      mapped: total('mapped'),
      unchanged: total('unchanged'),
      written: total('written'),
      failed: total('failed'),
    }).toEqual({ read: 3, mapped: 3, unchanged: 2, written: 1, failed: 0 });

    const byId = await entriesNow();
    const [gloves, syringes] = entries.map((entry) => byId.get(entry.id));
    expect(gloves).toMatchObject({
      state: 'matched',
      matchedSourceId: 'SupplyDelivery/sd-late-a',
      differences: [],
      exceptionId: null,
    });
    expect(syringes).toMatchObject({
      state: 'differs',
      matchedSourceId: 'SupplyDelivery/sd-late-b',
      differences: ['location'],
    });

    // Flagged in the inbox, where finance reads it.
    const inbox = await env.finance.value('exceptions.list', { flowId: env.flow.id, state: 'open' });
    expect(inbox.items.map((item) => [item.errorCode, item.sourceId, item.targetKey])).toEqual([
      ['fallback.differs', 'SupplyDelivery/sd-late-b', syringes?.provisionalKey],
    ]);
    expect(inbox.items[0]?.id).toBe(syringes?.exceptionId);
    expect(inbox.items[0]?.errorMessage).toContain(
      'Location: entered "Location/loc-1", source "Location/loc-2"',
    );
  }, 20_000);

  it('a later version of a matched event with another quantity is held back, not posted, and flagged', async () => {
    await env.deliver(supplyDelivery('sd-late-a', { time: '2026-12-02T11:05:00+01:00', quantity: 5 }));
    const run = await env.runNow();
    expect(run.status, `${JSON.stringify(run)}\n${env.logTail()}`).toBe('succeeded');
    expect(run.counts.written).toBe(0);
    expect(run.counts.failed).toBe(0);
    expect(run.counts.read).toBeGreaterThanOrEqual(1);
    expectCountsAddUp(run);

    const moves = env.supplyMoves();
    expect(moves).toHaveLength(3);
    expect(moves.find((move) => move.origin === 'Encounter/enc-0042')?.quantity).toBe(2);

    const gloves = (await entriesNow()).get(entries[0]!.id);
    expect(gloves).toMatchObject({
      state: 'differs',
      matchedSourceId: 'SupplyDelivery/sd-late-a',
      differences: ['quantity'],
    });
    const inbox = await env.finance.value('exceptions.list', { flowId: env.flow.id, state: 'open' });
    const flagged = inbox.items.find((item) => item.sourceId === 'SupplyDelivery/sd-late-a');
    expect(flagged).toMatchObject({ errorCode: 'fallback.differs', id: gloves?.exceptionId });
    expect(flagged?.errorMessage).toContain('Quantity: entered 2, source 5');
    expect(inbox.items).toHaveLength(2);
  }, 20_000);
});
