import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxRepo } from '../../../main/engine/outbox/outbox-repo.js';
import type { MappedRecord } from '../../../main/engine/pipeline/map-page.js';
import type { AuditEntry } from '../../../shared/domain/audit.js';
import type {
  DegradedMode,
  DowntimeProcedure,
  OutagesOverview,
  OutboxEntry,
} from '../../../shared/domain/outage.js';
import { ADMIN_PASSWORD } from '../../support/test-caller.js';
import { startTestCore, type TestCore } from '../../support/test-core.js';
import { HttpSession, startTestServer, type TestServer } from '../../support/test-http.js';

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

/** A mapped supply write as the engine would have queued it; the payload stands for patient data. */
function supplyWrite(n: number, encounter: string): MappedRecord {
  const data = { id: `SupplyDelivery/${n}`, encounter, code: `SUP-${n}`, quantity: n };
  const payload = { product_ref: `SUP-${n}`, qty: n, origin: encounter };
  const sourceJson = JSON.stringify(data);
  const payloadJson = JSON.stringify(payload);
  return {
    source: { type: 'SupplyDelivery', sourceId: data.id, version: '1', updatedAt: null },
    sourceJson,
    sourceHash: sha(sourceJson),
    key: `supply-${n}`,
    orderKey: encounter,
    payload,
    payloadJson,
    payloadHash: sha(payloadJson),
  };
}

interface Ids {
  odoo: string;
  fhir: string;
  spare: string;
  mapping: string;
  flow: string;
}

/** Outage operations over the real HTTP server: degraded mode, the overview, the outbox, the procedure. */
describe('outage operations over HTTP', () => {
  let harness: TestCore;
  let server: TestServer;
  let admin: HttpSession;
  let finance: HttpSession;
  let viewer: HttpSession;
  let itStaff: HttpSession;
  const ids = {} as Ids;

  beforeAll(async () => {
    harness = await startTestCore();
    server = await startTestServer(harness);
    admin = await HttpSession.signedIn(server.url, 'admin', ADMIN_PASSWORD);
    for (const [name, role] of [
      ['fin', 'finance'],
      ['view', 'viewer'],
      ['its', 'it-staff'],
    ] as const)
      await harness.operator(name, [role]);
    finance = await HttpSession.signedIn(server.url, 'fin', ADMIN_PASSWORD);
    viewer = await HttpSession.signedIn(server.url, 'view', ADMIN_PASSWORD);
    itStaff = await HttpSession.signedIn(server.url, 'its', ADMIN_PASSWORD);

    ids.odoo = (
      await admin.value<{ id: string }>('connections.create', {
        name: 'Billing Odoo',
        settings: { kind: 'odoo', baseUrl: 'https://odoo.example', database: 'billing', login: 'sync' },
      })
    ).id;
    ids.fhir = (
      await admin.value<{ id: string }>('connections.create', {
        name: 'Ward FHIR',
        settings: { kind: 'fhir', baseUrl: 'https://fhir.example/r4', authMethod: 'none' },
      })
    ).id;
    ids.spare = (
      await admin.value<{ id: string }>('connections.create', {
        name: 'Spare drop',
        settings: { kind: 'csv-drop', folder: '/tmp/in', archiveFolder: '/tmp/a', rejectedFolder: '/tmp/r' },
      })
    ).id;
    ids.mapping = (
      await admin.value<{ id: string }>('mappings.create', {
        name: 'Supplies',
        spec: { key: 'id', fields: [{ target: 'name', expression: 'code' }] },
      })
    ).id;
    ids.flow = (
      await admin.value<{ id: string }>('flows.create', {
        name: 'Supplies used',
        sourceConnectionId: ids.fhir,
        sourceSelector: { resourceType: 'SupplyDelivery' },
        targetConnectionId: ids.odoo,
        targetOperation: { model: 'stock.move' },
        mappingId: ids.mapping,
        enabled: false,
      })
    ).id;
  });
  afterAll(async () => {
    await server.close();
    await harness.close();
  });

  async function auditRows(action: string): Promise<AuditEntry[]> {
    const page = await admin.value<{ entries: AuditEntry[] }>('audit.list', { limit: 20, action });
    return page.entries;
  }

  it('degrade: the overview shows the connection in the exposure, the audit row has the operator and reason', async () => {
    const mode = await admin.value<DegradedMode>('outages.degrade', {
      connectionId: ids.odoo,
      reason: 'Odoo upgrade window',
    });
    expect(mode).toMatchObject({
      connectionId: ids.odoo,
      reason: 'Odoo upgrade window',
      switchedBy: 'admin',
    });

    // Every role sees the outage, viewers included.
    const overview = await viewer.value<OutagesOverview>('outages.overview', {});
    expect(overview.exposure.down).toEqual([
      { connectionId: ids.odoo, name: 'Billing Odoo', since: mode.since, why: 'degraded' },
    ]);
    const odoo = overview.connections.find((c) => c.connectionId === ids.odoo);
    expect(odoo).toMatchObject({ kind: 'odoo', degraded: mode, waiting: 0, oldestQueuedAt: null });
    expect(odoo?.flows).toEqual([{ flowId: ids.flow, name: 'Supplies used', role: 'target' }]);
    expect(overview.connections.find((c) => c.connectionId === ids.fhir)?.flows).toEqual([
      { flowId: ids.flow, name: 'Supplies used', role: 'source' },
    ]);

    const [row] = (await auditRows('outages.degrade')).filter((r) => r.outcome === 'ok');
    expect(row).toMatchObject({ actor: 'admin', target: ids.odoo, outcome: 'ok' });
    expect(JSON.parse(row?.detail ?? '{}')).toMatchObject({
      connection: 'Billing Odoo',
      reason: 'Odoo upgrade window',
    });
  });

  it('finance and viewers are refused degrade and restore with 403, audited as denied', async () => {
    for (const [session, actor] of [
      [finance, 'fin'],
      [viewer, 'view'],
    ] as const) {
      for (const name of ['outages.degrade', 'outages.restore']) {
        const answer = await session.op(name, { connectionId: ids.fhir, reason: 'not mine to switch' });
        expect(answer.status, `${actor} ${name}`).toBe(403);
        expect(answer.json.error?.code).toBe('forbidden');
        expect((await auditRows(name)).some((r) => r.actor === actor && r.outcome === 'denied')).toBe(true);
      }
    }
    const overview = await admin.value<OutagesOverview>('outages.overview', {});
    expect(overview.connections.find((c) => c.connectionId === ids.fhir)?.degraded).toBeNull();
  });

  it('restore: answers the drain runs, the overview is clean, restoring again is a conflict', async () => {
    const restored = await admin.value<{ connectionId: string; drainRunIds: string[] }>('outages.restore', {
      connectionId: ids.odoo,
      note: 'Odoo back after the upgrade',
    });
    expect(restored.connectionId).toBe(ids.odoo);
    expect(Array.isArray(restored.drainRunIds)).toBe(true);

    const overview = await admin.value<OutagesOverview>('outages.overview', {});
    expect(overview.exposure).toEqual({ down: [], waiting: 0, held: 0, oldestQueuedAt: null });
    expect(overview.connections.every((c) => c.degraded === null)).toBe(true);

    const [row] = (await auditRows('outages.restore')).filter((r) => r.outcome === 'ok');
    expect(row).toMatchObject({ actor: 'admin', target: ids.odoo });
    expect(JSON.parse(row?.detail ?? '{}')).toMatchObject({
      reason: 'Odoo upgrade window',
      note: 'Odoo back after the upgrade',
      drainRunIds: restored.drainRunIds,
    });

    const again = await admin.op('outages.restore', { connectionId: ids.odoo });
    expect(again.status).toBe(409);
    expect(again.json.error?.code).toBe('conflict');
  });

  it('an unknown connection or flow answers 404', async () => {
    const missing = 'conn_doesnotexist0';
    const degrade = await admin.op('outages.degrade', { connectionId: missing, reason: 'no such thing' });
    expect([degrade.status, degrade.json.error?.code]).toEqual([404, 'not-found']);
    const restore = await admin.op('outages.restore', { connectionId: missing });
    expect([restore.status, restore.json.error?.code]).toEqual([404, 'not-found']);
    const outbox = await admin.op('outbox.list', { flowId: 'flow_doesnotexist0' });
    expect([outbox.status, outbox.json.error?.code]).toEqual([404, 'not-found']);
  });

  it('outbox.list pages a flow’s writes in sequence order by state; the overview counts them', async () => {
    const db = new Database(join(harness.dataDir, 'osc.sqlite'));
    try {
      const outbox = new OutboxRepo(db);
      const context = {
        runId: 'run_outagesapi0001',
        flowId: ids.flow,
        sourceSystem: 'fhir',
        targetSystem: 'odoo',
        targetModel: 'stock.move',
        mappingId: ids.mapping,
        mappingVersion: 1,
      };
      outbox.defer(
        context,
        ids.odoo,
        'breaker',
        [supplyWrite(1, 'enc-b'), supplyWrite(2, 'enc-a')],
        '2026-12-01T08:00:00.000Z',
      );
      outbox.defer(context, ids.odoo, 'degraded', [supplyWrite(3, 'enc-b')], '2026-12-01T09:00:00.000Z');
      const [first] = outbox.waitingPage(ids.flow, 0, 1);
      outbox.settle(first?.seq ?? 0, 'sent', 'run_outagesapi0002', '42', '2026-12-01T10:00:00.000Z');
    } finally {
      db.close();
    }

    const all = await itStaff.value<OutboxEntry[]>('outbox.list', { flowId: ids.flow, state: 'all' });
    expect(all.map((e) => [e.targetKey, e.state, e.reason])).toEqual([
      ['supply-1', 'sent', 'breaker'],
      ['supply-2', 'waiting', 'breaker'],
      ['supply-3', 'waiting', 'degraded'],
    ]);
    expect(all.map((e) => e.seq)).toEqual([...all.map((e) => e.seq)].sort((a, b) => a - b));
    expect(all[1]).toMatchObject({
      flowId: ids.flow,
      orderKey: 'enc-a',
      sourceId: 'SupplyDelivery/2',
      mappingVersion: 1,
      payload: { product_ref: 'SUP-2', qty: 2, origin: 'enc-a' },
      queuedAt: '2026-12-01T08:00:00.000Z',
      settledAt: null,
      targetId: null,
    });
    expect(all[0]).toMatchObject({ settledAt: '2026-12-01T10:00:00.000Z', targetId: '42' });

    const waiting = await admin.value<OutboxEntry[]>('outbox.list', { flowId: ids.flow });
    expect(waiting.map((e) => e.targetKey)).toEqual(['supply-2', 'supply-3']);
    const after = await admin.value<OutboxEntry[]>('outbox.list', {
      flowId: ids.flow,
      afterSeq: waiting[0]?.seq ?? 0,
      limit: 1,
    });
    expect(after.map((e) => e.targetKey)).toEqual(['supply-3']);
    const sent = await admin.value<OutboxEntry[]>('outbox.list', { flowId: ids.flow, state: 'sent' });
    expect(sent.map((e) => e.targetKey)).toEqual(['supply-1']);

    // Payloads stay with the roles that run outages.
    expect((await finance.op('outbox.list', { flowId: ids.flow })).status).toBe(403);

    const overview = await viewer.value<OutagesOverview>('outages.overview', {});
    expect(overview.outbox).toEqual([
      {
        flowId: ids.flow,
        flowName: 'Supplies used',
        connectionId: ids.odoo,
        waiting: 2,
        held: 0,
        oldestQueuedAt: '2026-12-01T08:00:00.000Z',
        drain: null,
      },
    ]);
    expect(overview.exposure).toMatchObject({ waiting: 2, oldestQueuedAt: '2026-12-01T08:00:00.000Z' });
    expect(overview.connections.find((c) => c.connectionId === ids.odoo)).toMatchObject({
      waiting: 2,
      oldestQueuedAt: '2026-12-01T08:00:00.000Z',
    });
  });

  it('the procedure names every connection, its affected flows and who does what, in order', async () => {
    await admin.value('outages.degrade', { connectionId: ids.fhir, reason: 'EHR vendor maintenance' });
    const procedure = await finance.value<DowntimeProcedure>('outages.procedure', {});
    expect(procedure.sections.map((s) => [s.name, s.kind, s.state, s.affectedFlows])).toEqual([
      ['Billing Odoo', 'odoo', 'up', ['Supplies used']],
      ['Spare drop', 'csv-drop', 'up', []],
      ['Ward FHIR', 'fhir', 'degraded', ['Supplies used']],
    ]);
    expect(procedure.exposure.down.map((d) => d.name)).toEqual(['Ward FHIR']);

    const odoo = procedure.sections[0];
    expect(odoo?.steps.map((s) => s.who)).toEqual([
      'Administrator',
      expect.stringMatching(/^Staff allowed to enter fallback/),
      'IT staff',
      'Administrator',
      'Finance',
    ]);
    expect(odoo?.steps[0]?.what).toMatch(/switch Billing Odoo \(Odoo\) to degraded mode and give the reason/);
    expect(odoo?.steps[0]?.what).toContain('writes of flow "Supplies used" then wait in the outbox');
    expect(odoo?.steps[1]?.what).toMatch(/^Keep working in Ward FHIR: .*manual fallback form/);
    expect(odoo?.steps[3]?.what).toMatch(/switch degraded mode off .*watch the replay/);
    expect(odoo?.steps[4]?.what).toMatch(/Exceptions inbox.*Billing Odoo refused/);

    const fhir = procedure.sections[2];
    expect(fhir?.steps[0]?.what).toContain('Flow "Supplies used" waits and keeps its place');
    expect(fhir?.steps[1]?.what).toContain('manual fallback form of flow "Supplies used"');
    expect(fhir?.steps[4]?.what).toMatch(/fallback entries whose source event differed/);

    const spare = procedure.sections[1]?.steps ?? [];
    expect(spare.map((s) => s.who)).toEqual(['IT staff']);
    expect(spare[0]?.what).toMatch(/^No flow reads from or writes to Spare drop/);

    // Generated from the configuration, not written down: a renamed flow is printed with its new name.
    await admin.value('flows.update', {
      id: ids.flow,
      definition: {
        name: 'Supplies consumed',
        sourceConnectionId: ids.fhir,
        sourceSelector: { resourceType: 'SupplyDelivery' },
        targetConnectionId: ids.odoo,
        targetOperation: { model: 'stock.move' },
        mappingId: ids.mapping,
        enabled: false,
      },
    });
    const renamed = await viewer.value<DowntimeProcedure>('outages.procedure', {});
    expect(JSON.stringify(renamed)).not.toContain('Supplies used');
    expect(renamed.sections[0]?.steps[0]?.what).toContain('flow "Supplies consumed"');
  });
});
