import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBatchCommitter, type FailedRecord } from '../../../main/engine/store/batch-commit.js';
import { startTestCore, type TestCore } from '../../support/test-core.js';
import type { TestCaller } from '../../support/test-caller.js';

const CONTEXT = {
  sourceSystem: 'odoo',
  targetSystem: 'odoo',
  targetModel: 'res.partner',
  mappingId: 'm',
  mappingVersion: 1,
};

/** A name that must never reach the audit log: it stands for patient data in a payload. */
const PATIENT = 'Jane Patientname';

function failure(sourceId: string, code: string, message: string): FailedRecord {
  return {
    source: { type: 'ChargeItem', sourceId, version: '1', updatedAt: null },
    sourceJson: JSON.stringify({ id: sourceId, patient: PATIENT }),
    sourceHash: `h-${sourceId}`,
    stage: 'map',
    key: null,
    payloadHash: null,
    payloadJson: null,
    error: { class: 'permanent', code, message },
  };
}

interface AuditRow {
  actor: string;
  action: string;
  target: string | null;
  outcome: string;
  detail: string;
}

/** The exceptions operations through the real dispatcher: roles, results and their audit rows. */
describe('exceptions operations', () => {
  let harness: TestCore;
  let finance: TestCaller;
  let viewer: TestCaller;
  let itStaff: TestCaller;
  const flowId = 'flow_exceptionsapi01';

  beforeAll(async () => {
    harness = await startTestCore();
    finance = await harness.operator('fin', ['finance']);
    viewer = await harness.operator('view', ['viewer']);
    itStaff = await harness.operator('its', ['it-staff']);
    // The engine's own write path, on the same store file.
    const db = new Database(join(harness.dataDir, 'osc.sqlite'));
    try {
      createBatchCommitter(db)(
        {
          runId: 'run_exceptionsapi01',
          flowId,
          sourceSystem: 'fhir',
          targetSystem: 'odoo',
          targetModel: 'stock.move',
          mappingId: 'm',
          mappingVersion: 1,
        },
        {
          batchNo: 1,
          loaded: [],
          failed: [
            failure(
              'ChargeItem/1',
              'mapping.unmapped-code',
              'Value map "supplies" has no entry for code "SUP-1042".',
            ),
            failure(
              'ChargeItem/2',
              'mapping.unmapped-code',
              'Value map "supplies" has no entry for code "SUP-2210".',
            ),
            failure('ChargeItem/3', 'rule.price', 'Price 990.00 is outside the policy'),
          ],
          counts: { read: 3, mapped: 0, unchanged: 0, written: 0, failed: 3 },
        },
      );
    } finally {
      db.close();
    }
  });
  afterAll(() => harness.close());

  const auditRows = (action: string): AuditRow[] => {
    const db = new Database(join(harness.dataDir, 'osc.sqlite'), { readonly: true });
    try {
      return db
        .prepare<[string], AuditRow>(
          'SELECT actor, action, target, outcome, detail FROM audit_log WHERE action = ? ORDER BY seq',
        )
        .all(action);
    } finally {
      db.close();
    }
  };

  it('lists, pages, filters, groups by signature and counts per flow; a viewer reads lists without payloads', async () => {
    const page1 = await viewer.value('exceptions.list', { state: 'open', limit: 2 });
    expect(page1.items).toHaveLength(2);
    expect(page1.nextCursor).not.toBeNull();
    const page2 = await viewer.value('exceptions.list', {
      state: 'open',
      limit: 2,
      cursor: page1.nextCursor ?? '',
    });
    expect(page2).toMatchObject({ nextCursor: null });
    const ids = [...page1.items, ...page2.items].map((e) => e.sourceId).sort();
    expect(ids).toEqual(['ChargeItem/1', 'ChargeItem/2', 'ChargeItem/3']);
    for (const item of [...page1.items, ...page2.items]) {
      expect(item).not.toHaveProperty('sourcePayload');
      expect(JSON.stringify(item)).not.toContain(PATIENT);
    }
    expect((await viewer.value('exceptions.list', { text: 'price' })).items.map((e) => e.sourceId)).toEqual([
      'ChargeItem/3',
    ]);
    expect(
      (await viewer.value('exceptions.list', { text: 'chargeitem/2' })).items.map((e) => e.sourceId),
    ).toEqual(['ChargeItem/2']);
    expect((await viewer.value('exceptions.list', { class: 'reference' })).items).toHaveLength(2);
    expect((await viewer.value('exceptions.list', { text: '%' })).items).toHaveLength(0);
    // The age filter: created at or after / before an instant.
    expect((await viewer.value('exceptions.list', { createdAfter: '2999-01-01' })).items).toHaveLength(0);
    expect((await viewer.value('exceptions.list', { createdBefore: '2999-01-01' })).items).toHaveLength(3);
    expect((await viewer.value('exceptions.list', { createdBefore: '2000-01-01' })).items).toHaveLength(0);
    expect(await viewer.call('exceptions.list', { cursor: "x' OR 1=1" })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });

    const groups = await viewer.value('exceptions.groups', { state: 'open' });
    expect(groups.map((g) => [g.signature, g.count, g.class])).toEqual([
      ['mapping.unmapped-code|supplies|a-9999', 2, 'reference'],
      ['rule.price||999.99', 1, 'data'],
    ]);
    const group = await viewer.value('exceptions.list', { signature: groups[0]?.signature ?? '' });
    expect(group.items).toHaveLength(2);
    expect(await viewer.value('exceptions.counts', {})).toEqual([{ flowId, open: 3, dead: 0 }]);
  });

  it('a viewer may not read payloads or act; each refusal is audited', async () => {
    const [first] = (await viewer.value('exceptions.list', {})).items;
    const id = first?.id ?? '';
    for (const [name, input] of [
      ['exceptions.get', { id }],
      ['exceptions.assign', { id, assignee: 'fin' }],
      ['exceptions.note', { id, text: 'mine' }],
      ['exceptions.ignore', { id, reason: 'not needed' }],
      ['exceptions.retry', { ids: [id] }],
      ['exceptions.replay', { id, sourcePayload: { id: 'ChargeItem/1' } }],
    ] as const) {
      expect(await viewer.call(name, input)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(auditRows(name).filter((row) => row.actor === 'view')).toEqual([
        expect.objectContaining({ outcome: 'denied' }),
      ]);
    }
  });

  it('finance reads the payloads (audited with the exception id, never the payload), assigns, notes and ignores with a reason', async () => {
    const list = await finance.value('exceptions.list', { text: 'price' });
    const id = list.items[0]?.id ?? '';
    const detail = await finance.value('exceptions.get', { id });
    expect(detail).toMatchObject({
      sourceId: 'ChargeItem/3',
      stage: 'map',
      sourcePayload: { id: 'ChargeItem/3', patient: PATIENT },
      mappedPayload: null,
      attemptHistory: [expect.objectContaining({ runId: 'run_exceptionsapi01', outcome: 'failed' })],
    });
    const reads = auditRows('exceptions.get').filter((row) => row.actor === 'fin');
    expect(reads).toEqual([expect.objectContaining({ target: id, outcome: 'ok' })]);
    expect(JSON.stringify(auditRows('exceptions.get'))).not.toContain(PATIENT);

    expect(await finance.call('exceptions.assign', { id, assignee: 'view' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
    expect(await finance.call('exceptions.assign', { id, assignee: 'nobody' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
    expect(await finance.value('exceptions.assign', { id, assignee: 'fin' })).toMatchObject({
      assignee: 'fin',
    });
    expect((await viewer.value('exceptions.list', { assignee: 'fin' })).items.map((e) => e.id)).toEqual([id]);
    expect((await viewer.value('exceptions.list', { assignee: null })).items).toHaveLength(2);

    await finance.value('exceptions.note', { id, text: 'Asked the ward about this price.' });
    await itStaff.value('exceptions.note', { id, text: 'The policy rule is right.' });
    expect(await finance.call('exceptions.ignore', { id, reason: 'no' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
    const ignored = await finance.value('exceptions.ignore', {
      id,
      reason: 'Agreed price, invoiced by hand',
    });
    expect(ignored).toMatchObject({
      state: 'ignored',
      resolvedBy: 'fin',
      resolution: 'Agreed price, invoiced by hand',
    });
    expect(await finance.call('exceptions.ignore', { id, reason: 'again please' })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    const after = await finance.value('exceptions.get', { id });
    expect(after.notes.map((n) => [n.author, n.text])).toEqual([
      ['fin', 'Asked the ward about this price.'],
      ['its', 'The policy rule is right.'],
    ]);
    expect(await viewer.value('exceptions.counts', {})).toEqual([{ flowId, open: 2, dead: 0 }]);
    expect(await finance.call('exceptions.get', { id: 'exc_doesnotexist0' })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });

    // Every action has an audit row with its operator and exception id, and none holds a payload.
    for (const action of ['exceptions.assign', 'exceptions.note', 'exceptions.ignore']) {
      const rows = auditRows(action).filter((row) => row.outcome === 'ok');
      expect(rows.length, action).toBeGreaterThan(0);
      for (const row of rows) {
        expect(['fin', 'its']).toContain(row.actor);
        expect(row.target).toBe(id);
        expect(row.detail).not.toContain(PATIENT);
      }
    }
    expect(
      JSON.parse(auditRows('exceptions.ignore').find((r) => r.outcome === 'ok')?.detail ?? '{}'),
    ).toMatchObject({
      reason: 'Agreed price, invoiced by hand',
    });
  });

  it('retry and edit-and-replay are audited with their operator, never with the edited record', async () => {
    const [group] = await finance.value('exceptions.groups', { state: 'open' });
    const signature = group?.signature ?? '';
    const [first] = (await finance.value('exceptions.list', { signature })).items;
    const id = first?.id ?? '';
    expect(await finance.call('exceptions.retry', { ids: [id], signature })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
    // These exceptions' flow is not in this store (written straight by the recorder): the engine
    // worker refuses the replay, saying so, and nothing is queued.
    expect(await finance.call('exceptions.retry', { signature })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    expect(
      await finance.call('exceptions.replay', {
        id,
        sourcePayload: { id: 'ChargeItem/1', patient: PATIENT },
      }),
    ).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(auditRows('exceptions.retry').filter((row) => row.actor === 'fin')).toHaveLength(2);
    expect(auditRows('exceptions.replay').filter((row) => row.actor === 'fin')).toEqual([
      expect.objectContaining({ target: id }),
    ]);
    expect(JSON.stringify(auditRows('exceptions.replay'))).not.toContain(PATIENT);
  });

  it('edit-and-replay through the worker: an edit the active mapping refuses answers 400 and stores nothing; a good one is a new child, queued, audited without the record', async () => {
    const admin = harness.admin;
    const odoo = await admin.value('connections.create', {
      name: 'Replay Odoo',
      settings: {
        kind: 'odoo',
        baseUrl: 'http://127.0.0.1:9/',
        allowInsecureHttp: true,
        database: 'clinic',
        login: 'sync',
      },
    });
    const spec = {
      key: '"p_" & id',
      fields: [{ target: 'name', expression: 'name' }],
      rules: [{ id: 'has-name', expression: '$exists(name)', message: 'name is missing' }],
    };
    const mapping = await itStaff.value('mappings.create', { name: 'Replay mapping', spec });
    await admin.value('mappings.approve', { id: mapping.id, version: 1 });
    await itStaff.value('mappings.activate', { id: mapping.id, version: 1 });
    const flow = await admin.value('flows.create', {
      name: 'Replay flow',
      sourceConnectionId: odoo.id,
      sourceSelector: { model: 'res.partner' },
      targetConnectionId: odoo.id,
      targetOperation: { model: 'res.partner' },
      mappingId: mapping.id,
      enabled: false,
    });
    const db = new Database(join(harness.dataDir, 'osc.sqlite'));
    try {
      createBatchCommitter(db)(
        { ...CONTEXT, flowId: flow.id, runId: 'run_exceptionsapi02' },
        {
          batchNo: 1,
          loaded: [],
          failed: [failure('Patient/7', 'rule.has-name', 'name is missing')],
          counts: { read: 1, mapped: 0, unchanged: 0, written: 0, failed: 1 },
        },
      );
    } finally {
      db.close();
    }
    const [exception] = (await finance.value('exceptions.list', { flowId: flow.id })).items;
    const id = exception?.id ?? '';
    const edits = (): number => {
      const reader = new Database(join(harness.dataDir, 'osc.sqlite'), { readonly: true });
      try {
        return reader.prepare('SELECT count(*) FROM exception_edits').pluck().get() as number;
      } finally {
        reader.close();
      }
    };

    const refused = await finance.call('exceptions.replay', { id, sourcePayload: { id: '7' } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(refused.ok ? '' : refused.error.message).toContain('name is missing');
    expect(edits()).toBe(0);

    const started = await finance.value('exceptions.replay', {
      id,
      sourcePayload: { id: '7', name: `${PATIENT} Jr` },
    });
    expect(started).toMatchObject({ skipped: 0, runs: [{ flowId: flow.id, count: 1 }] });
    expect(edits()).toBe(1);
    const detail = await finance.value('exceptions.get', { id });
    expect(detail.sourcePayload).toEqual({ id: 'Patient/7', patient: PATIENT });
    const rows = auditRows('exceptions.replay').filter((row) => row.actor === 'fin');
    expect(rows.at(-1)).toMatchObject({ target: id, outcome: 'ok' });
    expect(rows.at(-1)?.detail).toContain(started.runs[0]?.runId ?? 'no run');
    expect(JSON.stringify(auditRows('exceptions.replay'))).not.toContain(PATIENT);
  });
});
