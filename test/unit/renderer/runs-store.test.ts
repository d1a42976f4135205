import { describe, expect, it } from 'vitest';
import type { Result } from '../../../shared/contract/result.js';
import type { RecordFailure, Run } from '../../../shared/domain/run.js';
import { createRunsStore, FAILURES_PAGE_SIZE } from '../../../renderer/stores/runs-store.js';
import { deferred, fakeOperations } from './fake-operations.js';
import { progressOf, runOf } from './engine-fixtures.js';

function failure(id: number): RecordFailure {
  return {
    id,
    runId: 'run_aaaaaaaaaa',
    flowId: 'flow_aaaaaaaaaa',
    stage: 'load',
    sourceType: 'SupplyDelivery',
    sourceId: `SupplyDelivery/${id}`,
    sourceVersion: '1',
    targetKey: `clinic.move_${id}`,
    errorClass: 'target',
    errorCode: 'odoo-validation',
    errorMessage: 'Product is archived',
    sourcePayload: {},
    mappedPayload: {},
    at: '2026-01-01T00:00:00Z',
  };
}

describe('runs store', () => {
  it("lists a flow's recent runs newest first, asking only for that flow", async () => {
    const store = createRunsStore();
    const { ops, calls } = fakeOperations({
      'runs.list': () => ({
        ok: true,
        value: [
          runOf({ id: 'run_oldoldoldo', queuedAt: '2026-01-01T00:00:00Z' }),
          runOf({ id: 'run_newnewnewn', queuedAt: '2026-01-02T00:00:00Z' }),
        ],
      }),
    });
    await store.getState().openFlow(ops, 'flow_aaaaaaaaaa');
    expect(store.getState().runs.map((run) => run.id)).toEqual(['run_newnewnewn', 'run_oldoldoldo']);
    expect(calls[0]).toEqual({ name: 'runs.list', input: { flowId: 'flow_aaaaaaaaaa', limit: 20 } });
  });

  it('drops an answer for a flow that was closed or replaced meanwhile', async () => {
    const store = createRunsStore();
    const slow = deferred<Result<Run[]>>();
    const { ops } = fakeOperations({ 'runs.list': () => slow.promise });
    const loading = store.getState().openFlow(ops, 'flow_aaaaaaaaaa');
    store.getState().closeFlow();
    slow.resolve({ ok: true, value: [runOf()] });
    await loading;
    expect(store.getState()).toMatchObject({ flowId: null, runs: [] });
  });

  it('shows live counts in the open run, reloads when a run finishes or is new, ignores other flows', async () => {
    const store = createRunsStore();
    let listed: Run[] = [runOf({ status: 'running', finishedAt: null })];
    const { ops, calls } = fakeOperations({ 'runs.list': () => ({ ok: true, value: listed }) });
    await store.getState().openFlow(ops, 'flow_aaaaaaaaaa');
    store.getState().onProgress(ops, progressOf(), false);
    expect(store.getState().runs[0]?.counts.read).toBe(40);
    expect(calls).toHaveLength(1);
    store.getState().onProgress(ops, progressOf({ flowId: 'flow_bbbbbbbbbb' }), false);
    expect(calls).toHaveLength(1);
    listed = [runOf()];
    store.getState().onProgress(ops, progressOf({ status: 'succeeded' }), true);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(calls).toHaveLength(2);
    expect(store.getState().runs[0]?.status).toBe('succeeded');
  });

  it('pages through failures by the last id and stops when a page is short', async () => {
    const store = createRunsStore();
    const { ops, calls } = fakeOperations({
      'runs.failures': (input) => {
        const afterId = (input as { afterId?: number }).afterId ?? 0;
        const count = afterId === 0 ? FAILURES_PAGE_SIZE : 3;
        return { ok: true, value: Array.from({ length: count }, (_, i) => failure(afterId + i + 1)) };
      },
    });
    await store.getState().openFailures(ops, 'run_aaaaaaaaaa');
    expect(store.getState()).toMatchObject({ moreFailures: true, failuresRunId: 'run_aaaaaaaaaa' });
    await store.getState().loadMoreFailures(ops);
    expect(calls[1]?.input).toEqual({
      id: 'run_aaaaaaaaaa',
      afterId: FAILURES_PAGE_SIZE,
      limit: FAILURES_PAGE_SIZE,
    });
    expect(store.getState().failures).toHaveLength(FAILURES_PAGE_SIZE + 3);
    expect(store.getState().moreFailures).toBe(false);
    await store.getState().loadMoreFailures(ops);
    expect(calls).toHaveLength(2);
  });

  it("keeps the server's message when failures cannot be read", async () => {
    const store = createRunsStore();
    const { ops } = fakeOperations({
      'runs.failures': () => ({ ok: false, error: { code: 'not-found', message: 'No such run.' } }),
    });
    await store.getState().openFailures(ops, 'run_aaaaaaaaaa');
    expect(store.getState()).toMatchObject({
      failuresError: 'No such run.',
      failures: [],
      failuresLoading: false,
    });
    store.getState().closeFailures();
    expect(store.getState().failuresRunId).toBeNull();
  });

  it('puts a returned run of the open flow on top, and ignores runs of other flows', async () => {
    const store = createRunsStore();
    const { ops } = fakeOperations({ 'runs.list': () => ({ ok: true, value: [runOf()] }) });
    await store.getState().openFlow(ops, 'flow_aaaaaaaaaa');
    store
      .getState()
      .upsertRun(runOf({ id: 'run_newnewnewn', status: 'queued', queuedAt: '2026-02-01T00:00:00Z' }));
    store.getState().upsertRun(runOf({ id: 'run_otherother', flowId: 'flow_bbbbbbbbbb' }));
    expect(store.getState().runs.map((run) => run.id)).toEqual(['run_newnewnewn', 'run_aaaaaaaaaa']);
  });
});
