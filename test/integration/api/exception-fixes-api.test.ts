import Database from 'better-sqlite3';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBatchCommitter, type FailedRecord } from '../../../main/engine/store/batch-commit.js';
import { FlowsRepo } from '../../../main/engine/store/flows-repo.js';
import { MappingsRepo } from '../../../main/engine/store/mappings-repo.js';
import { ConnectionsRepo } from '../../../main/repositories/connections-repo.js';
import type { ConnectionSettings } from '../../../shared/domain/connection.js';
import { flowDefinitionSchema } from '../../../shared/domain/flow.js';
import { mappingSpecSchema } from '../../../shared/domain/mapping.js';
import { startTestCore, type TestCore } from '../../support/test-core.js';
import type { TestCaller } from '../../support/test-caller.js';

const unreachable: ConnectionSettings = {
  kind: 'odoo',
  baseUrl: 'http://127.0.0.1:9/',
  database: 'd',
  login: 'l',
  authMethod: 'api-key',
  protocol: 'auto',
  externalIdModule: 'm',
  allowInsecureHttp: true,
  maxConcurrentCalls: 1,
  maxCallsPerSecond: 1,
  timeoutMs: 1000,
};

function failure(sourceId: string, code: string, message: string): FailedRecord {
  return {
    source: { type: 'ChargeItem', sourceId, version: '1', updatedAt: null },
    sourceJson: JSON.stringify({ id: sourceId }),
    sourceHash: `h-${sourceId}`,
    stage: 'map',
    key: null,
    payloadHash: null,
    payloadJson: null,
    error: { class: 'permanent', code, message },
  };
}

/** One-click fixes through the real dispatcher and engine worker: roles, four eyes, audit, activation. */
describe('exception fix operations', () => {
  let harness: TestCore;
  let finance: TestCaller;
  let admin2: TestCaller;
  let viewer: TestCaller;
  let mappingId: string;
  let flowId: string;

  beforeAll(async () => {
    harness = await startTestCore();
    finance = await harness.operator('fin', ['finance']);
    admin2 = await harness.operator('admin2', ['administrator']);
    viewer = await harness.operator('view', ['viewer']);
    const db = new Database(join(harness.dataDir, 'osc.sqlite'));
    try {
      const connection = new ConnectionsRepo(db).insert('odoo', unreachable, 'seed');
      const mappings = new MappingsRepo(db);
      mappingId = mappings.create(
        {
          name: 'supplies',
          description: '',
          note: '',
          spec: mappingSpecSchema.parse({
            key: '"sup_" & id',
            fields: [{ target: 'product', expression: '$valueMap("supplies", code)' }],
            valueMaps: { supplies: { entries: { 'SUP-1000': 'Gauze' } } },
          }),
        },
        'seed-author',
      );
      mappings.approve(mappingId, 1, 'seed-approver');
      mappings.activate(mappingId, 1, 'seed-approver');
      flowId = new FlowsRepo(db).insert(
        flowDefinitionSchema.parse({
          name: 'supplies',
          sourceConnectionId: connection.id,
          sourceSelector: {},
          targetConnectionId: connection.id,
          targetOperation: { model: 'stock.move' },
          mappingId,
        }),
        'seed',
      ).id;
      createBatchCommitter(db)(
        {
          runId: 'run_exceptionfixes01',
          flowId,
          sourceSystem: 'odoo',
          targetSystem: 'odoo',
          targetModel: 'stock.move',
          mappingId,
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
              'Value map "supplies" has no entry for code "SUP-1042".',
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

  const exceptionId = async (sourceId: string): Promise<string> => {
    const page = await viewer.value('exceptions.list', { flowId });
    const found = page.items.find((e) => e.sourceId === sourceId);
    if (!found) throw new Error(`no exception for ${sourceId}`);
    return found.id;
  };
  const auditRows = (action: string) => {
    const db = new Database(join(harness.dataDir, 'osc.sqlite'), { readonly: true });
    try {
      return db
        .prepare<[string], { actor: string; target: string; outcome: string; detail: string }>(
          'SELECT actor, target, outcome, detail FROM audit_log WHERE action = ? ORDER BY seq',
        )
        .all(action);
    } finally {
      db.close();
    }
  };

  it('refuses fixes that do not fit the exception, with a clear conflict', async () => {
    const price = await exceptionId('ChargeItem/3');
    expect(await finance.call('exceptions.mapCode', { id: price, value: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringContaining('mapping.unmapped-code') as unknown },
    });
    expect(await finance.call('exceptions.retryWhenReferenced', { id: price })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringContaining('missing-reference') as unknown },
    });
    expect(await finance.call('exceptions.retryWhenReferenced', {})).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
    expect(await viewer.call('exceptions.mapCode', { id: price, value: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('map this code: a draft by the operator, never approved by them; activation by another replays at once, audited', async () => {
    const first = await exceptionId('ChargeItem/1');
    const fix = await harness.admin.value('exceptions.mapCode', { id: first, value: '  Gauze 10 cm ' });
    expect(fix).toMatchObject({
      state: 'awaiting-approval',
      mappingVersion: 2,
      code: 'SUP-1042',
      mappedTo: 'Gauze 10 cm',
      progress: { total: 2, pending: 2 },
    });
    const mapping = await viewer.value('mappings.get', { id: mappingId });
    expect(mapping.activeVersion).toBe(1);
    expect(mapping.versions.at(-1)).toMatchObject({ version: 2, status: 'draft', author: 'admin' });
    expect(auditRows('exceptions.mapCode').at(-1)).toMatchObject({
      actor: 'admin',
      target: first,
      outcome: 'ok',
    });
    expect(JSON.parse(auditRows('exceptions.mapCode').at(-1)?.detail ?? '{}')).toMatchObject({
      fix: fix.id,
      valueMap: 'supplies',
      code: 'SUP-1042',
      version: 2,
    });
    expect((await viewer.value('exceptions.list', { flowId })).items.find((e) => e.id === first)?.fixId).toBe(
      fix.id,
    );

    // Four eyes: the administrator who mapped the code cannot approve the draft.
    expect(await harness.admin.call('mappings.approve', { id: mappingId, version: 2 })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    await admin2.value('mappings.approve', { id: mappingId, version: 2 });
    expect((await viewer.value('exceptions.fixes', { flowId }))[0]).toMatchObject({
      id: fix.id,
      state: 'awaiting-activation',
    });

    await admin2.value('mappings.activate', { id: mappingId, version: 2 });
    // The activation pokes the engine: well before its 5-second sweep, the replay is under way.
    // (The engine worker may boot on this first engine call, about 2 s here; it sweeps 5 s after.)
    const deadline = Date.now() + 4500;
    let replayed = auditRows('exceptions.fix.replay');
    while (replayed.length === 0 && Date.now() < deadline) {
      await sleep(50);
      replayed = auditRows('exceptions.fix.replay');
    }
    expect(replayed).toHaveLength(1);
    expect(replayed[0]).toMatchObject({ actor: 'admin2', target: fix.id });
    expect(JSON.parse(replayed[0]?.detail ?? '{}')).toMatchObject({ fix: fix.id, count: 2 });
    const [after] = await viewer.value('exceptions.fixes', { flowId, active: false });
    expect(after?.replayRunIds).toHaveLength(1);
    expect(['replaying', 'done']).toContain(after?.state);
  });
});
