import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BAD_RECORDS } from '../../peers/fhir/index.js';
import type { TestCaller } from '../../support/test-caller.js';
import { runFlow, startDemoEnv, waitForRun, type DemoEnv } from './demo-env.js';

/**
 * The demo clinic's three seeded bad records reach the exceptions inbox through the real engine
 * worker and emulators: one exception each, classed and signed, counted per flow; reading them again
 * (a backfill) adds attempts to the same exceptions instead of new ones.
 */
describe('the demo clinic exceptions', () => {
  let env: DemoEnv;
  let finance: TestCaller;
  beforeAll(async () => {
    env = await startDemoEnv();
    finance = await env.harness.operator('fin', ['finance']);
  }, 60_000);
  afterAll(() => env.close());

  it('the three seeded failures are open exceptions with their class, signature and payload', async () => {
    await runFlow(env.it, env.clinic.flows.patients.id);
    await runFlow(env.it, env.clinic.flows.supplyConsumption.id);
    await runFlow(env.it, env.clinic.flows.serviceCharges.id);
    const { items } = await finance.value('exceptions.list', { state: 'open' });
    const bySource = new Map(items.map((e) => [e.sourceId, e]));
    expect(items).toHaveLength(3);
    expect(bySource.get(DEMO_BAD_RECORDS.unknownSupplyCode.ref)).toMatchObject({
      flowId: env.clinic.flows.supplyConsumption.id,
      stage: 'map',
      class: 'reference',
      errorCode: 'mapping.unmapped-code',
      attempts: 1,
    });
    expect(bySource.get(DEMO_BAD_RECORDS.unknownSupplyCode.ref)?.signature).toMatch(
      /^mapping\.unmapped-code\|[^|]+\|.+$/,
    );
    expect(bySource.get(DEMO_BAD_RECORDS.missingPatient.ref)).toMatchObject({
      stage: 'validate',
      class: 'data',
      errorCode: 'rule.has-patient',
    });
    expect(bySource.get(DEMO_BAD_RECORDS.priceOutsidePolicy.ref)).toMatchObject({
      flowId: env.clinic.flows.serviceCharges.id,
      stage: 'validate',
      class: 'data',
      errorCode: 'rule.price-policy',
    });
    const missing = bySource.get(DEMO_BAD_RECORDS.missingPatient.ref)?.id ?? '';
    expect((await finance.value('exceptions.get', { id: missing })).sourcePayload).toMatchObject({
      id: 'supply-use-no-patient',
    });
    const counts = await finance.value('exceptions.counts', {});
    expect(new Map(counts.map((c) => [c.flowId, c.open]))).toEqual(
      new Map([
        [env.clinic.flows.supplyConsumption.id, 2],
        [env.clinic.flows.serviceCharges.id, 1],
      ]),
    );

    // A backfill reads the two bad supply records again: same exceptions, a second attempt each.
    const backfill = await env.it.value('flows.backfill', {
      id: env.clinic.flows.supplyConsumption.id,
      from: '2000-01-01',
    });
    expect((await waitForRun(env.it, backfill.id)).counts.failed).toBe(2);
    const again = await finance.value('exceptions.list', { flowId: env.clinic.flows.supplyConsumption.id });
    expect(again.items.map((e) => [e.sourceId, e.state, e.attempts, e.lastRunId]).sort()).toEqual(
      [
        [DEMO_BAD_RECORDS.missingPatient.ref, 'open', 2, backfill.id],
        [DEMO_BAD_RECORDS.unknownSupplyCode.ref, 'open', 2, backfill.id],
      ].sort(),
    );
  });
});
