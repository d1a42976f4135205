import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createBatchCommitter,
  type BatchOutcome,
  type FailedRecord,
  type RunContext,
} from '../../../main/engine/store/batch-commit.js';
import { FlowsRepo } from '../../../main/engine/store/flows-repo.js';
import { openStore } from '../../../main/store/open-store.js';
import type { Store } from '../../../main/store/types.js';
import { seedItemsFlow } from './items-flow-seed.js';
import { makeTempDir } from '../../support/temp-dir.js';

/**
 * One batch's commit on a real store, for what mutation testing found unchecked
 * (test/mutation/SURVIVORS.md): a batch without a cursor leaves the flow's cursor alone (a mid-page
 * chunk must not move it, not even to null), only load failures get a lineage row, and the audit
 * row the engine owes says whether the cursor moved, which lineage rows it covers, and fails with
 * the batch.
 */
const source = { type: 'Item', sourceId: 'Item/1', version: '1', updatedAt: null };
const failure = (stage: FailedRecord['stage'], key: string | null): FailedRecord => ({
  source,
  sourceJson: '{"id":"1"}',
  sourceHash: 'sh',
  stage,
  key,
  payloadHash: key === null ? null : 'ph',
  payloadJson: key === null ? null : '{"value":1}',
  error: { class: 'permanent', code: `${stage}.bad`, message: `${stage} failed` },
});
const counts = (failed: number) => ({ read: 0, mapped: 0, unchanged: 0, written: 0, failed });

describe('batch commit', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let store: Store;
  let context: RunContext;

  beforeEach(() => {
    temp = makeTempDir('osc-batch-commit-');
    const flowId = seedItemsFlow(temp.dir);
    store = openStore({ dataDir: temp.dir, log: { warn: () => undefined } });
    context = {
      runId: 'run-1',
      flowId,
      sourceSystem: 'script',
      targetSystem: 'script',
      targetModel: 'x.item',
      mappingId: 'm',
      mappingVersion: 1,
    };
  });
  afterEach(() => {
    store.close();
    temp.cleanup();
  });

  const outbox = () =>
    store.db
      .prepare<[], { outcome: string; detail: string }>(
        'SELECT outcome, detail FROM engine_audit_outbox ORDER BY id',
      )
      .all()
      .map((row) => ({ outcome: row.outcome, detail: JSON.parse(row.detail) as Record<string, unknown> }));
  const lineage = () =>
    store.db
      .prepare<[], { seq: number; target_key: string; outcome: string; supersedes: number | null }>(
        'SELECT seq, target_key, outcome, supersedes FROM lineage ORDER BY seq',
      )
      .all();

  it('moves the cursor only with a batch that carries one', () => {
    const commit = createBatchCommitter(store.db);
    const batch = (batchNo: number, extra: Partial<BatchOutcome>): BatchOutcome => ({
      batchNo,
      loaded: [],
      failed: [],
      counts: counts(0),
      ...extra,
    });
    commit(context, batch(1, { cursor: 'page-1' }));
    commit(context, batch(2, {}));
    const flows = new FlowsRepo(store.db);
    expect(flows.get(context.flowId)?.cursor).toBe('page-1');
    commit(context, batch(3, { cursor: 'page-2' }));
    expect(flows.get(context.flowId)?.cursor).toBe('page-2');
    expect(outbox().map((row) => [row.outcome, row.detail.cursorCommitted, row.detail.lineage])).toEqual([
      ['ok', true, null],
      ['ok', false, null],
      ['ok', true, null],
    ]);
  });

  it('writes lineage rows for load failures only, and an audit row that covers them and fails', () => {
    const commit = createBatchCommitter(store.db);
    commit(context, {
      batchNo: 1,
      loaded: [{ source, sourceHash: 'sh', key: 'item_1', payloadHash: 'ph1', targetId: '7', created: true }],
      failed: [failure('map', null), failure('validate', 'item_2'), failure('load', 'item_1')],
      counts: counts(3),
    });
    const rows = lineage();
    expect(rows.map((row) => [row.target_key, row.outcome])).toEqual([
      ['item_1', 'created'],
      ['item_1', 'failed'],
    ]);
    expect(rows[1]?.supersedes).toBe(rows[0]?.seq);
    const [audit] = outbox();
    expect(audit?.outcome).toBe('error');
    expect(audit?.detail).toMatchObject({
      batch: 1,
      mapping: 'm@1',
      cursorCommitted: false,
      lineage: { from: rows[0]?.seq, to: rows[1]?.seq },
    });
    expect((audit?.detail.lineage as { sha256?: unknown }).sha256).toMatch(/^[0-9a-f]{64}$/);
    const stored = store.db
      .prepare<[], { stage: string; mapped_payload: string | null }>(
        'SELECT stage, mapped_payload FROM record_failures ORDER BY id',
      )
      .all();
    expect(stored).toEqual([
      { stage: 'map', mapped_payload: null },
      { stage: 'validate', mapped_payload: '{"value":1}' },
      { stage: 'load', mapped_payload: '{"value":1}' },
    ]);
  });
});
