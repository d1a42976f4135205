import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mayEnterFallback } from '../../../main/api/handlers/fallback-handlers.js';
import { supplyConsumptionFallback } from '../../peers/demo/demo-fallback.js';
import { supplyConsumptionMapping } from '../../peers/demo/demo-mappings.js';
import type { TestCaller } from '../../support/test-caller.js';
import { startTestCore, type TestCore } from '../../support/test-core.js';
import { GLOVES_ENTRY } from './fallback-seed.js';

/**
 * The fallback operations through the real dispatcher: the form a flow's settings give, and the
 * server's own check of the flow's fallback roles on `fallback.enter` (the contract lets finance call
 * it; the demo's supply flow grants IT staff only), refused with a clear message and audited.
 */
describe('fallback operations', () => {
  let harness: TestCore;
  let finance: TestCaller;
  let itStaff: TestCaller;
  let viewer: TestCaller;
  let flowId: string;
  let odooId: string;

  beforeAll(async () => {
    harness = await startTestCore();
    const admin = harness.admin;
    const admin2 = await harness.operator('admin2', ['administrator']);
    finance = await harness.operator('fin', ['finance']);
    itStaff = await harness.operator('its', ['it-staff']);
    viewer = await harness.operator('view', ['viewer']);
    odooId = (
      await admin.value('connections.create', {
        name: 'Clinic Odoo',
        settings: { kind: 'odoo', baseUrl: 'https://odoo.example', database: 'clinic', login: 'sync' },
      })
    ).id;
    const fhir = await admin.value('connections.create', {
      name: 'Clinic EHR',
      settings: { kind: 'fhir', baseUrl: 'https://fhir.example/r4', authMethod: 'none' },
    });
    const mapping = await admin.value('mappings.create', {
      name: 'Supply use',
      spec: supplyConsumptionMapping,
    });
    await admin2.value('mappings.approve', { id: mapping.id, version: 1 });
    await admin.value('mappings.activate', { id: mapping.id, version: 1 });
    const flow = await admin.value('flows.create', {
      name: 'Supplies used',
      sourceConnectionId: fhir.id,
      sourceSelector: { resourceType: 'SupplyDelivery' },
      targetConnectionId: odooId,
      targetOperation: { model: 'stock.move', kind: 'upsert' },
      mappingId: mapping.id,
      enabled: false,
      fallback: supplyConsumptionFallback,
    });
    flowId = flow.id;
  });
  afterAll(async () => {
    await harness.close();
  });

  const enterInput = () => ({ flowId, values: { ...GLOVES_ENTRY }, reason: 'EHR down since 08:10' });

  it("answers the flow's form, administrators always among its roles", async () => {
    const form = await finance.value('fallback.form', { flowId });
    expect(form).toMatchObject({
      flowId,
      flowName: 'Supplies used',
      sourceType: 'SupplyDelivery',
      matchKeys: ['encounter', 'code', 'quantity', 'time'],
      roles: ['administrator', 'it-staff'],
      targetUp: true,
    });
    expect(form.fields.map((field) => field.name)).toEqual([
      'encounter',
      'patient',
      'code',
      'description',
      'quantity',
      'location',
      'time',
    ]);
    expect(await finance.call('fallback.form', { flowId: 'flow_00000000000000000000' })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
  });

  it('refuses a role the flow does not grant, on the server, with a clear message, and audits it', async () => {
    const refused = await finance.call('fallback.enter', enterInput());
    expect(refused).toEqual({
      ok: false,
      error: {
        code: 'forbidden',
        message:
          'Only administrators and IT staff may enter fallback transactions for "Supplies used". An administrator can grant your role in the flow\'s fallback settings.',
      },
    });
    const page = await harness.admin.value('audit.list', { limit: 10, action: 'fallback.enter' });
    const row = page.entries.find((entry) => entry.actor === 'fin');
    expect(row).toMatchObject({ target: flowId, outcome: 'denied' });
    expect(JSON.parse(row?.detail ?? '{}')).toMatchObject({ code: 'forbidden' });
    // Nothing reached the outbox or the entries.
    expect(await harness.admin.value('fallback.list', { flowId, limit: 10 })).toEqual([]);
    // Viewers are refused by the contract itself.
    expect(await viewer.call('fallback.enter', enterInput())).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: 'Your role does not allow this.' },
    });
  });

  it('lets a granted role through: the engine queues the entry, the audit row names it, not the values', async () => {
    const entry = await itStaff.value('fallback.enter', enterInput());
    expect(entry).toMatchObject({ flowId, enteredBy: 'its', reason: 'EHR down since 08:10' });
    expect(entry.provisionalKey).toBe(`supply_use_${entry.id.replace(/-/g, '_')}`);
    const listed = await itStaff.value('fallback.list', { flowId, limit: 10 });
    expect(listed.map((e) => e.id)).toEqual([entry.id]);
    const page = await harness.admin.value('audit.list', { limit: 10, action: 'fallback.enter' });
    const row = page.entries.find((e) => e.actor === 'its');
    expect(row).toMatchObject({ target: flowId, outcome: 'ok' });
    expect(JSON.parse(row?.detail ?? '{}')).toMatchObject({
      entryId: entry.id,
      reason: 'EHR down since 08:10',
    });
    expect(row?.detail).not.toContain(GLOVES_ENTRY.patient);
  });

  it('grants administrators always and other roles only as the settings say', () => {
    expect(mayEnterFallback(['administrator'], { roles: [] })).toBe(true);
    expect(mayEnterFallback(['finance'], { roles: [] })).toBe(false);
    expect(mayEnterFallback(['finance', 'viewer'], { roles: ['finance'] })).toBe(true);
    expect(mayEnterFallback(['it-staff'], { roles: ['finance'] })).toBe(false);
  });
});
