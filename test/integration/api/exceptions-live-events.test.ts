import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBatchCommitter } from '../../../main/engine/store/batch-commit.js';
import type { LiveEvent } from '../../../shared/contract/events.js';
import { startTestCore, type TestCore } from '../../support/test-core.js';
import type { TestCaller } from '../../support/test-caller.js';

const PATIENT = 'Jane Patientname';

/** Consoles hear of every exception action through the real dispatcher, with ids and state only. */
describe('exceptions.changed after exception actions', () => {
  let harness: TestCore;
  let finance: TestCaller;
  let viewer: TestCaller;
  const flowId = 'flow_exceptionslive1';
  const heardByViewer: LiveEvent[] = [];
  const heardByFinance: LiveEvent[] = [];

  beforeAll(async () => {
    harness = await startTestCore();
    finance = await harness.operator('fin', ['finance']);
    viewer = await harness.operator('view', ['viewer']);
    const db = new Database(join(harness.dataDir, 'osc.sqlite'));
    try {
      createBatchCommitter(db)(
        {
          runId: 'run_exceptionslive1',
          flowId,
          sourceSystem: 'fhir',
          targetSystem: 'odoo',
          targetModel: 'account.move',
          mappingId: 'm',
          mappingVersion: 1,
        },
        {
          batchNo: 1,
          loaded: [],
          failed: [
            {
              source: { type: 'ChargeItem', sourceId: 'ChargeItem/9', version: '1', updatedAt: null },
              sourceJson: JSON.stringify({ id: 'ChargeItem/9', patient: PATIENT }),
              sourceHash: 'h-9',
              stage: 'validate',
              key: null,
              payloadHash: null,
              payloadJson: null,
              error: {
                class: 'permanent',
                code: 'rule.price',
                message: 'Price 990.00 is outside the policy',
              },
            },
          ],
          counts: { read: 1, mapped: 0, unchanged: 0, written: 0, failed: 1 },
        },
      );
    } finally {
      db.close();
    }
    harness.core.subscribe({ sessionId: () => viewer.sessionId, deliver: (e) => void heardByViewer.push(e) });
    harness.core.subscribe({
      sessionId: () => finance.sessionId,
      deliver: (e) => void heardByFinance.push(e),
    });
  });

  afterAll(async () => {
    await harness.close();
  });

  const changes = (events: readonly LiveEvent[]) =>
    events.filter((event) => event.type === 'exceptions.changed');

  it('publishes the id, flow and new state after assign, note and ignore, to every role', async () => {
    const [exception] = (await finance.value('exceptions.list', {})).items;
    const id = exception!.id;
    await finance.value('exceptions.assign', { id, assignee: 'fin' });
    await finance.value('exceptions.note', { id, text: 'Asked the insurer' });
    await finance.value('exceptions.ignore', { id, reason: 'Price agreed by phone' });
    const expected = [
      { type: 'exceptions.changed', flowId, ids: [id], state: 'open' },
      { type: 'exceptions.changed', flowId: null, ids: [id], state: null },
      { type: 'exceptions.changed', flowId, ids: [id], state: 'ignored' },
    ];
    expect(changes(heardByFinance)).toEqual(expected);
    expect(changes(heardByViewer)).toEqual(expected);
    // Never a payload, a reason or a note.
    expect(JSON.stringify(changes(heardByViewer))).not.toMatch(/Jane|insurer|phone/);
  });

  it('publishes nothing for reads and for refused calls', async () => {
    const before = changes(heardByFinance).length;
    const [exception] = (await viewer.value('exceptions.list', {})).items;
    await viewer.value('exceptions.counts', {});
    const refused = await viewer.call('exceptions.assign', { id: exception!.id, assignee: 'view' });
    expect(refused.ok).toBe(false);
    const missing = await finance.call('exceptions.note', { id: 'exc_doesnotexist0', text: 'x' });
    expect(missing.ok).toBe(false);
    expect(changes(heardByFinance)).toHaveLength(before);
  });
});
