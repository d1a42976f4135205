import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Target, TargetOutcome, WriteRequest } from '../../../main/connectors/types.js';
import { EngineCore } from '../../../main/engine/runner/engine-core.js';
import { createBatchCommitter, type RunContext } from '../../../main/engine/store/batch-commit.js';
import { ExceptionsRepo } from '../../../main/engine/store/exceptions-repo.js';
import { openStore } from '../../../main/store/open-store.js';
import type { Store } from '../../../main/store/types.js';
import { AppendableSource, item } from './appendable-source.js';
import { seedItemsFlow } from './items-flow-seed.js';
import { makeTempDir } from '../../support/temp-dir.js';

/**
 * Exceptions across runs on a real store and the real engine: a record that fails opens ONE
 * exception with its payloads and an attempt; failing again in a later run adds an attempt to the
 * same exception; going through in a third run resolves it, naming that run. The exception is
 * written in the batch's own transaction: a commit that fails leaves no exception (a map failure: no mapped payload) behind.
 */
/** Refuses value 13 as bad data, and value 403 as Odoo refusing the integration user's right. */
class RefusingTarget implements Target {
  readonly system = 'script';
  write(request: WriteRequest): Promise<TargetOutcome[]> {
    return Promise.resolve(
      request.records.map((r): TargetOutcome => {
        if (r.payload.value === 13)
          return {
            key: r.key,
            ok: false,
            error: {
              class: 'permanent',
              code: 'odoo.ValidationError',
              message: `value: 13 is unlucky for ${r.key}\nTraceback (most recent call last):\n  File "odoo/models.py"`,
            },
          };
        if (r.payload.value === 403)
          return {
            key: r.key,
            ok: false,
            error: {
              class: 'authentication',
              code: 'odoo.AccessError',
              message: "You are not allowed to create 'Item'",
            },
          };
        return { key: r.key, ok: true, targetId: `id-${r.key}`, created: true };
      }),
    );
  }
}

describe('exceptions across runs', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let store: Store;
  let flowId: string;
  let source: AppendableSource;
  let core: EngineCore;

  async function runOnce(): Promise<string> {
    const run = core.enqueue({ flowId, trigger: 'manual', requestedBy: 'test' });
    await sleep(1);
    await core.idle();
    return run.id;
  }

  beforeEach(() => {
    temp = makeTempDir('osc-exceptions-');
    flowId = seedItemsFlow(temp.dir);
    store = openStore({ dataDir: temp.dir, log: { warn: () => undefined } });
    source = new AppendableSource();
    const target = new RefusingTarget();
    core = new EngineCore({
      store,
      secrets: { read: () => Promise.resolve(null) },
      emit: () => undefined,
      endpoints: {
        source: () => ({ endpoint: source, close: () => Promise.resolve() }),
        target: () => ({ endpoint: target, close: () => Promise.resolve() }),
      },
      retryDelaysMs: [1],
    });
  });
  afterEach(async () => {
    await core.stop();
    store.close();
    temp.cleanup();
  });

  it('fails → one open exception; fails again → the same exception with two attempts; goes through → resolved by that run', async () => {
    const repo = new ExceptionsRepo(store.db);
    source.append(item('a', 13), item('b', 1), item('c', 403));
    const first = await runOnce();
    const open = repo.list({ flowId, state: 'open' }, undefined, 10).items;
    expect(open.map((e) => e.sourceId).sort()).toEqual(['Item/a', 'Item/c']);
    const a = open.find((e) => e.sourceId === 'Item/a');
    expect(a).toMatchObject({
      stage: 'load',
      class: 'data',
      attempts: 1,
      lastRunId: first,
      targetKey: 'item_a',
    });
    // The target's own words, without the traceback.
    expect(a?.errorMessage).toBe('value: 13 is unlucky for item_a');
    expect(a?.signature).toBe('odoo.ValidationError|value|99');
    expect(open.find((e) => e.sourceId === 'Item/c')?.class).toBe('authorization');
    const detail = repo.get(a?.id ?? '');
    expect(detail.sourcePayload).toEqual({ id: 'a', value: 13 });
    expect(detail.mappedPayload).toEqual({ value: 13 });
    expect(detail.attemptHistory).toEqual([
      expect.objectContaining({
        runId: first,
        outcome: 'failed',
        errorCode: 'odoo.ValidationError',
        sourceVersion: '13',
      }),
    ]);

    // The same record fails again (a new version of it) in a second run: same exception, two attempts.
    source.append(item('a', 13));
    const second = await runOnce();
    const again = repo.list({ flowId }, undefined, 10).items.filter((e) => e.sourceId === 'Item/a');
    expect(again).toHaveLength(1);
    expect(again[0]).toMatchObject({ id: a?.id, state: 'open', attempts: 2, lastRunId: second });
    expect(repo.get(a?.id ?? '').attemptHistory.map((x) => [x.runId, x.outcome])).toEqual([
      [first, 'failed'],
      [second, 'failed'],
    ]);
    expect(repo.counts()).toEqual([{ flowId, open: 2, dead: 0 }]);

    // A third run writes it: resolved automatically, naming the run; the original payload is kept.
    source.append(item('a', 14));
    const third = await runOnce();
    const resolved = repo.get(a?.id ?? '');
    expect(resolved).toMatchObject({
      state: 'resolved',
      resolvedByRun: third,
      resolvedBy: null,
      resolution: `Resolved by run ${third}: the record went through.`,
      sourcePayload: { id: 'a', value: 13 },
      attempts: 2,
    });
    expect(resolved.attemptHistory.map((x) => [x.runId, x.outcome, x.sourceVersion])).toEqual([
      [first, 'failed', '13'],
      [second, 'failed', '13'],
      [third, 'succeeded', '14'],
    ]);
    expect(repo.counts()).toEqual([{ flowId, open: 1, dead: 0 }]);

    // Failing once more reopens it (same exception, a third failed attempt).
    source.append(item('a', 13));
    await runOnce();
    expect(repo.get(a?.id ?? '')).toMatchObject({
      state: 'open',
      attempts: 3,
      resolvedByRun: null,
      resolution: null,
    });
  });

  it('is written in the batch transaction: a commit that fails leaves no exception (a map failure: no mapped payload)', () => {
    const context: RunContext = {
      runId: 'run_x',
      flowId,
      sourceSystem: 's',
      targetSystem: 't',
      targetModel: 'x.item',
      mappingId: 'm',
      mappingVersion: 1,
    };
    const commit = createBatchCommitter(store.db);
    const failed = {
      source: { type: 'Item', sourceId: 'Item/z', version: '1', updatedAt: null },
      sourceJson: '{}',
      sourceHash: 'h',
      stage: 'load' as const,
      key: 'item_z',
      payloadHash: 'p',
      payloadJson: '{}',
      error: { class: 'permanent' as const, code: 'c', message: 'm' },
    };
    // A map-stage failure: the source payload is kept, there is no mapped payload.
    commit(context, {
      batchNo: 1,
      loaded: [],
      failed: [
        {
          ...failed,
          source: { ...failed.source, sourceId: 'Item/m' },
          stage: 'map',
          key: null,
          payloadHash: null,
          payloadJson: null,
          sourceJson: '{"id":"m"}',
        },
      ],
      counts: { read: 1, mapped: 0, unchanged: 0, written: 0, failed: 1 },
    });
    const repo = new ExceptionsRepo(store.db);
    const [mapFailure] = repo.list({ flowId }, undefined, 10).items;
    expect(mapFailure).toMatchObject({ sourceId: 'Item/m', stage: 'map', targetKey: null, state: 'open' });
    expect(repo.get(mapFailure?.id ?? '')).toMatchObject({ sourcePayload: { id: 'm' }, mappedPayload: null });

    // The last statement of the transaction (the audit outbox row) fails.
    store.db.exec('DROP TABLE engine_audit_outbox');
    expect(() =>
      commit(context, {
        batchNo: 1,
        loaded: [],
        failed: [failed],
        counts: { read: 1, mapped: 1, unchanged: 0, written: 0, failed: 1 },
      }),
    ).toThrow();
    expect(store.db.prepare('SELECT count(*) AS n FROM exceptions').get()).toEqual({ n: 1 });
    expect(store.db.prepare('SELECT count(*) AS n FROM exception_attempts').get()).toEqual({ n: 1 });
  });
});
