import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShadowReport } from '../../../shared/domain/shadow.js';
import { serviceChargesMapping } from '../../peers/demo/demo-mappings.js';
import type { TestCaller } from '../../support/test-caller.js';
import { runFlow, startDemoEnv, type DemoEnv } from '../engine/demo-env.js';

/**
 * Shadow runs against the Odoo and FHIR emulators (issue 12, item 3): a draft version of the demo's
 * service-charges mapping that changes `ref` on the charges above 60 EUR is shadow-run over the
 * flow's real source records. The report names exactly `ref` on exactly those records, with the
 * active value, the shadow value and what Odoo holds; Odoo's check keeps nothing (the emulator's
 * account.move and lines byte-identical, count and highest id unchanged) and the flow's own state
 * (cursor, lineage, target_state, exceptions) is untouched. A version Odoo refuses is reported with
 * Odoo's message. The promotion gate counts clean periods.
 */
const PRICE_LINE = 60;
const CHANGED_REF = `priceOverride.value > ${PRICE_LINE} ? "HIGH-" & id : id`;

let env: DemoEnv | undefined;
const demo = (): DemoEnv => {
  if (env === undefined) throw new Error('the demo did not start');
  return env;
};
let admin2: TestCaller;

beforeAll(async () => {
  env = await startDemoEnv();
  admin2 = await demo().harness.operator('admin2', ['administrator']);
  await runFlow(demo().it, demo().clinic.flows.patients.id);
  await runFlow(demo().it, demo().clinic.flows.serviceCharges.id);
}, 120_000);
afterAll(() => env?.close());

function odooSnapshot(): string {
  const db = demo().odoo.state.db;
  return JSON.stringify(
    ['account.move', 'account.move.line', 'res.partner'].map((model) => {
      const ids = db.idsWhere(model, () => true);
      return {
        model,
        count: db.count(model),
        maxId: Math.max(0, ...ids),
        rows: ids.map((id) => db.record(model, id)),
      };
    }),
  );
}

function flowState(flowId: string): string {
  const db = new Database(join(demo().harness.dataDir, 'osc.sqlite'), { readonly: true });
  try {
    return JSON.stringify({
      flow: db.prepare('SELECT cursor, last_run_id FROM flows WHERE id = ?').get(flowId),
      lineage: db.prepare('SELECT count(*) AS n, max(seq) AS seq FROM lineage').get(),
      targetState: db.prepare('SELECT * FROM target_state WHERE flow_id = ? ORDER BY target_key').all(flowId),
      exceptions: db.prepare('SELECT count(*) AS n FROM exceptions').get(),
      outbox: db.prepare('SELECT count(*) AS n FROM outbox_writes').get(),
    });
  } finally {
    db.close();
  }
}

async function finished(id: string): Promise<ShadowReport> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const report = await demo().it.value('shadow.report', { id });
    if (report.run.state !== 'running') return report;
    if (Date.now() > deadline) throw new Error(`shadow run ${id} still running`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function priceOf(sourceId: string): number {
  const id = sourceId.replace(/^ChargeItem\//, '');
  const resource = demo().fhir.state.store.get('ChargeItem', id)?.build() as
    { priceOverride?: { value?: number } } | undefined;
  if (resource === undefined) throw new Error(`no ChargeItem ${id}`);
  return resource.priceOverride?.value ?? 0;
}

describe('shadow runs against the emulators', () => {
  const flow = () => demo().clinic.flows.serviceCharges;

  it('reports exactly the changed field on exactly the affected records and changes nothing', async () => {
    const mappingId = flow().mappingId;
    const draft = await demo().it.value('mappings.saveDraft', {
      id: mappingId,
      spec: {
        ...serviceChargesMapping,
        fields: serviceChargesMapping.fields.map((field) =>
          field.target === 'ref' ? { ...field, expression: CHANGED_REF } : field,
        ),
      },
      note: 'ref marks charges above 60 EUR',
    });
    const odooBefore = odooSnapshot();
    const flowBefore = flowState(flow().id);
    const started = await demo().it.value('shadow.start', {
      flowId: flow().id,
      version: draft.version,
      limit: 500,
    });
    expect(started.state).toBe('running');
    const report = await finished(started.id);
    expect(report.run).toMatchObject({
      state: 'finished',
      activeVersion: 1,
      version: draft.version,
      refused: 0,
    });
    expect(odooSnapshot()).toBe(odooBefore);
    expect(flowState(flow().id)).toBe(flowBefore);

    const affected = report.records.filter(
      (record) => record.activeMapped === true && priceOf(record.sourceId) > PRICE_LINE,
    );
    expect(affected.length).toBeGreaterThan(0);
    expect(affected.length).toBeLessThan(report.records.length - 1);
    for (const record of report.records) {
      const expected = affected.includes(record) ? ['ref'] : [];
      expect(
        record.diffs?.map((diff) => diff.path),
        record.sourceId,
      ).toEqual(expected);
    }
    for (const record of affected) {
      const ref = record.sourceId.replace(/^ChargeItem\//, '');
      expect(record.diffs?.[0]).toEqual({ path: 'ref', active: ref, shadow: `HIGH-${ref}`, odoo: ref });
      expect(record.targetId).toMatch(/^\d+$/);
    }
    // Every record the active version wrote is accepted by Odoo; the one above policy is refused by
    // the mapping's own rule in both versions (no regression), so the run is clean.
    expect(report.records.filter((r) => r.verdict === 'accepted')).toHaveLength(report.records.length - 1);
    expect(report.records.filter((r) => r.verdict === 'unmapped').map((r) => r.activeMapped)).toEqual([
      false,
    ]);
    expect(report.run.clean).toBe(true);
    expect(report.run.differing).toBe(affected.length);
  });

  it("reports Odoo's refusal per record, keeps nothing, and the run is not clean", async () => {
    const draft = await demo().it.value('mappings.saveDraft', {
      id: flow().mappingId,
      spec: {
        ...serviceChargesMapping,
        fields: serviceChargesMapping.fields.map((field) =>
          field.target === 'move_type'
            ? { ...field, expression: `priceOverride.value > ${PRICE_LINE} ? "bogus_type" : "out_invoice"` }
            : field,
        ),
      },
      note: 'a selection value Odoo does not know',
    });
    const odooBefore = odooSnapshot();
    const report = await finished(
      (await demo().it.value('shadow.start', { flowId: flow().id, version: draft.version, limit: 500 })).id,
    );
    expect(odooSnapshot()).toBe(odooBefore);
    const refused = report.records.filter((record) => record.verdict === 'refused');
    expect(refused.length).toBeGreaterThan(0);
    for (const record of refused) {
      expect(priceOf(record.sourceId)).toBeGreaterThan(PRICE_LINE);
      expect(record.message).toMatch(/bogus_type/);
      expect(record.diffs?.map((diff) => diff.path)).toEqual(['move_type']);
    }
    expect(report.records.filter((r) => r.verdict === 'accepted').length).toBe(
      report.records.length - refused.length - 1,
    );
    expect(report.run).toMatchObject({ clean: false, refused: refused.length });
  });

  it('a new flow whose mapping has no active version: verdicts only, nothing compared', async () => {
    const charges = flow();
    const mapping = await demo().it.value('mappings.create', {
      name: 'Charges, new flow',
      spec: serviceChargesMapping,
    });
    const fresh = await demo().it.value('flows.create', {
      name: 'Charges as a new flow would write them',
      sourceConnectionId: charges.sourceConnectionId,
      sourceSelector: charges.sourceSelector,
      targetConnectionId: charges.targetConnectionId,
      targetOperation: charges.targetOperation,
      mappingId: mapping.id,
      schedule: { kind: 'manual' },
      enabled: false,
    });
    const odooBefore = odooSnapshot();
    const report = await finished(
      (await demo().it.value('shadow.start', { flowId: fresh.id, version: 1, limit: 500 })).id,
    );
    expect(odooSnapshot()).toBe(odooBefore);
    expect(report.run).toMatchObject({ state: 'finished', activeVersion: null, differing: 0 });
    expect(report.records.every((record) => record.diffs === null && record.activeMapped === null)).toBe(
      true,
    );
    // The flow never wrote: no Odoo ids; every record Odoo would accept but the one above policy.
    expect(report.records.every((record) => record.targetId === null)).toBe(true);
    expect(report.run.accepted).toBe(report.records.length - 1);
  });

  it('a window since a time reads only what changed since; an empty window is not clean', async () => {
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    const empty = await finished(
      (await demo().it.value('shadow.start', { flowId: flow().id, version: 2, since: tomorrow })).id,
    );
    expect(empty.run).toMatchObject({
      state: 'finished',
      records: 0,
      clean: false,
      window: { since: tomorrow },
    });
    const lastFive = await finished(
      (
        await demo().it.value('shadow.start', {
          flowId: flow().id,
          version: 2,
          since: '2000-01-01T00:00:00Z',
          limit: 5,
        })
      ).id,
    );
    expect(lastFive.run.records).toBe(5);
  });

  it('viewers see paths and verdicts but no values', async () => {
    const viewer = await demo().harness.operator('viewer1', ['viewer']);
    const runs = await viewer.value('shadow.list', { flowId: flow().id, limit: 20 });
    const latest = runs.find((run) => run.differing > 0);
    const report = await viewer.value('shadow.report', { id: latest!.id });
    expect(report.valuesShown).toBe(false);
    const diffs = report.records.flatMap((record) => record.diffs ?? []);
    expect(diffs.length).toBeGreaterThan(0);
    expect(
      diffs.every((diff) => diff.active === null && diff.shadow === null && diff.odoo === undefined),
    ).toBe(true);
    expect((await viewer.call('shadow.start', { flowId: flow().id, version: 2 })).ok).toBe(false);
  });

  it('the promotion gate: activation waits for the required clean periods', async () => {
    const mappingId = flow().mappingId;
    // Version 2 had one clean shadow run today; version 3 none.
    await admin2.value('mappings.approve', { id: mappingId, version: 2 });
    await admin2.value('mappings.approve', { id: mappingId, version: 3 });
    expect(
      await demo().harness.admin.value('shadow.setGate', { mappingId, shadowPeriodsRequired: 2 }),
    ).toMatchObject({
      periodsRequired: 2,
      cleanPeriods: [{ version: 2, periods: 1 }],
    });
    const early = await demo().it.call('mappings.activate', { id: mappingId, version: 2 });
    expect(early.ok ? null : early.error).toMatchObject({ code: 'conflict' });
    expect(early.ok ? '' : early.error.message).toMatch(
      /^Version 2 has 1 clean shadow period; this mapping requires 2 /,
    );
    await demo().harness.admin.value('shadow.setGate', { mappingId, shadowPeriodsRequired: 1 });
    const unclean = await demo().it.call('mappings.activate', { id: mappingId, version: 3 });
    expect(unclean.ok ? '' : unclean.error.message).toMatch(/^Version 3 has 0 clean shadow periods/);
    expect(await demo().it.value('mappings.activate', { id: mappingId, version: 2 })).toMatchObject({
      status: 'active',
    });
    // IT staff may not change the gate.
    expect((await demo().it.call('shadow.setGate', { mappingId, shadowPeriodsRequired: 0 })).ok).toBe(false);
  });
});
