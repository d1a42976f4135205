import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../../shared/contract/events.js';
import { startTestCore, type TestCore } from '../../support/test-core.js';
import type { TestCaller } from '../../support/test-caller.js';

const SPEC = { key: '"p_" & id', fields: [{ target: 'name', expression: 'name' }] };

/** Mapping lifecycle (four eyes), flow validation, export/import and live events, through the contract. */
describe('engine operations through the contract', () => {
  let harness: TestCore;
  let it_: TestCaller;
  let secondAdmin: TestCaller;
  let odooId: string;
  const events: LiveEvent[] = [];

  beforeAll(async () => {
    harness = await startTestCore();
    it_ = await harness.operator('it', ['it-staff']);
    secondAdmin = await harness.operator('admin2', ['administrator']);
    harness.core.subscribe({
      sessionId: () => harness.admin.sessionId,
      deliver: (event) => events.push(event),
    });
    const odoo = await harness.admin.value('connections.create', {
      name: 'Odoo',
      settings: { kind: 'odoo', baseUrl: 'https://odoo.example', database: 'db', login: 'sync' },
    });
    odooId = odoo.id;
  });
  afterAll(() => harness.close());

  it('a version goes draft → approved (by another administrator) → active, and every version is kept', async () => {
    const mapping = await it_.value('mappings.create', { name: 'Partners', spec: SPEC });
    expect(mapping.versions[0]).toMatchObject({ version: 1, status: 'draft', author: 'it' });
    expect((await it_.call('mappings.approve', { id: mapping.id, version: 1 })).ok).toBe(false);
    expect(await it_.call('mappings.activate', { id: mapping.id, version: 1 })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    await harness.admin.value('mappings.approve', { id: mapping.id, version: 1 });
    const active = await it_.value('mappings.activate', { id: mapping.id, version: 1 });
    expect(active).toMatchObject({ status: 'active', approvedBy: 'admin', activatedBy: 'it' });

    // An administrator never approves their own version.
    const v2 = await harness.admin.value('mappings.saveDraft', {
      id: mapping.id,
      spec: { ...SPEC, key: '"q_" & id' },
      note: 'new key',
    });
    const own = await harness.admin.call('mappings.approve', { id: mapping.id, version: v2.version });
    expect(own).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await secondAdmin.value('mappings.approve', { id: mapping.id, version: 2 });
    await harness.admin.value('mappings.activate', { id: mapping.id, version: 2 });
    const all = await it_.value('mappings.get', { id: mapping.id });
    expect(all.versions.map((v) => [v.version, v.status])).toEqual([
      [1, 'retired'],
      [2, 'active'],
    ]);
    expect(all.activeVersion).toBe(2);
    const diff = await it_.value('mappings.diff', { id: mapping.id, from: 1, to: 2 });
    expect(diff.changes).toEqual([
      { path: 'key', change: 'changed', before: '"p_" & id', after: '"q_" & id' },
    ]);
    expect(events.some((e) => e.type === 'mappings.changed' && e.change === 'activated')).toBe(true);
  });

  it('the store itself refuses a self-approval and an edited version', () => {
    const db = new Database(join(harness.dataDir, 'osc.sqlite'));
    try {
      expect(() =>
        db.prepare('UPDATE mapping_versions SET approved_by = author WHERE version = 1').run(),
      ).toThrow(/CHECK/);
      expect(() => db.prepare("UPDATE mapping_versions SET spec = '{}'").run()).toThrow(/never changes/);
      expect(() => db.prepare('DELETE FROM mapping_versions').run()).toThrow(/kept forever/);
    } finally {
      db.close();
    }
  });

  it('refuses mappings that do not compile and previews without writing', async () => {
    const bad = await it_.call('mappings.create', {
      name: 'Bad',
      spec: { key: 'id', fields: [{ target: 'a', expression: 'b +' }] },
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    const before = (await it_.value('mappings.list', {})).length;
    const preview = await it_.value('mappings.preview', {
      spec: { ...SPEC, key: 'id' },
      samples: [{ id: 1, name: 'A' }, {}],
    });
    expect(preview.map((p) => p.ok)).toEqual([true, false]);
    expect((await it_.value('mappings.list', {})).length).toBe(before);
    const huge = await it_.call('mappings.preview', {
      spec: SPEC,
      samples: Array.from({ length: 101 }, () => ({})),
    });
    expect(huge).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('export/import: the newest version arrives as a draft that still needs approval', async () => {
    const [mapping] = (await it_.value('mappings.list', {})).filter((m) => m.name === 'Partners');
    const file = await it_.value('mappings.export', { id: mapping!.id });
    expect(file.versions).toHaveLength(2);
    const imported = await it_.value('mappings.import', { file: { ...file, name: 'Partners copy' } });
    expect(imported.versions).toEqual([
      expect.objectContaining({ version: 1, status: 'draft', author: 'it', spec: file.versions[1]!.spec }),
    ]);
    const again = await it_.value('mappings.import', { file });
    expect(again.versions.at(-1)).toMatchObject({ version: 3, status: 'draft' });
    expect(again.activeVersion).toBe(2);
  });

  it('flows are checked before they are saved, audited with their operator, and announced', async () => {
    const [mapping] = (await it_.value('mappings.list', {})).filter((m) => m.name === 'Partners');
    const definition = {
      name: 'Partners to Odoo',
      sourceConnectionId: odooId,
      sourceSelector: { model: 'res.partner' },
      targetConnectionId: odooId,
      targetOperation: { model: 'res.partner' },
      mappingId: mapping!.id,
    };
    const flow = await it_.value('flows.create', definition);
    expect(flow).toMatchObject({
      state: 'idle',
      batchSize: 200,
      schedule: { kind: 'manual' },
      createdBy: 'it',
    });
    expect(events.some((e) => e.type === 'flows.changed' && e.id === flow.id && e.change === 'created')).toBe(
      true,
    );
    const cases: [unknown, string][] = [
      [definition, 'conflict'],
      [{ ...definition, name: 'x1', sourceConnectionId: 'conn_doesnotexist00' }, 'invalid-input'],
      [{ ...definition, name: 'x2', schedule: { kind: 'cron', expression: '99 99 * * *' } }, 'invalid-input'],
      [{ ...definition, name: 'x3', schedule: { kind: 'realtime' } }, 'invalid-input'],
      [{ ...definition, name: 'x4', batchSize: 0 }, 'invalid-input'],
      [{ ...definition, name: 'x5', unknown: true }, 'invalid-input'],
    ];
    for (const [input, code] of cases) {
      expect(await it_.call('flows.create', input), JSON.stringify(input)).toMatchObject({
        ok: false,
        error: { code },
      });
    }
    const paused = await it_.value('flows.setEnabled', { id: flow.id, enabled: false });
    expect(paused.state).toBe('disabled');
    const db = new Database(join(harness.dataDir, 'osc.sqlite'), { readonly: true });
    try {
      const row = db
        .prepare("SELECT actor, target FROM audit_log WHERE action = 'flows.create' AND outcome = 'ok'")
        .get();
      expect(row).toEqual({ actor: 'it', target: flow.id });
    } finally {
      db.close();
    }
  });

  it('a flow whose mapping has no active version cannot run', async () => {
    const mapping = await it_.value('mappings.create', { name: 'Never approved', spec: SPEC });
    const flow = await it_.value('flows.create', {
      name: 'Unapproved',
      sourceConnectionId: odooId,
      sourceSelector: { model: 'res.partner' },
      targetConnectionId: odooId,
      targetOperation: { model: 'res.partner' },
      mappingId: mapping.id,
    });
    expect(await it_.call('flows.runNow', { id: flow.id })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    expect(await it_.call('runs.cancel', { id: 'run_doesnotexist0' })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
  });
});
