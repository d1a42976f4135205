import { describe, expect, it } from 'vitest';
import type { Result } from '../../../shared/contract/result.js';
import type { Flow } from '../../../shared/domain/flow.js';
import { createFlowsStore, LIVE_FAILURES_KEPT } from '../../../renderer/stores/flows-store.js';
import { deferred, fakeOperations } from './fake-operations.js';
import { flowOf, progressOf, runOf } from './engine-fixtures.js';

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('flows store', () => {
  it('loads flows sorted by name with each last run, reading runs missing from the recent page', async () => {
    const store = createFlowsStore();
    const a = flowOf({ id: 'flow_bbbbbbbbbb', name: 'zeta', lastRunId: 'run_oldoldoldo' });
    const b = flowOf({ id: 'flow_aaaaaaaaaa', name: 'Alpha', lastRunId: 'run_newnewnewn' });
    const { ops, calls } = fakeOperations({
      'flows.list': () => ({ ok: true, value: [a, b] }),
      'runs.list': () => ({
        ok: true,
        value: [
          runOf({ id: 'run_newnewnewn', flowId: b.id, queuedAt: '2026-01-02T00:00:00Z' }),
          runOf({ id: 'run_olderolder', flowId: b.id, queuedAt: '2026-01-01T00:00:00Z' }),
        ],
      }),
      'runs.get': (input) => ({ ok: true, value: runOf({ id: (input as { id: string }).id, flowId: a.id }) }),
    });
    await store.getState().load(ops);
    const state = store.getState();
    expect(state.flows.map((flow) => flow.name)).toEqual(['Alpha', 'zeta']);
    expect(state.lastRuns[b.id]?.id).toBe('run_newnewnewn');
    expect(state.lastRuns[a.id]?.id).toBe('run_oldoldoldo');
    expect(calls.filter((call) => call.name === 'runs.get')).toEqual([
      { name: 'runs.get', input: { id: 'run_oldoldoldo' } },
    ]);
    expect(state).toMatchObject({ loaded: true, loading: false, error: null });
  });

  it('keeps the message of a failed load, and lets only the newest of two loads write', async () => {
    const store = createFlowsStore();
    const slow = deferred<Result<Flow[]>>();
    let call = 0;
    const { ops } = fakeOperations({
      'flows.list': () => (++call === 1 ? slow.promise : { ok: true, value: [flowOf({ name: 'New' })] }),
      'runs.list': () => ({ ok: true, value: [] }),
    });
    const first = store.getState().load(ops);
    await store.getState().load(ops);
    slow.resolve({ ok: true, value: [flowOf({ name: 'Old' })] });
    await first;
    expect(store.getState().flows.map((flow) => flow.name)).toEqual(['New']);

    const failing = fakeOperations({
      'flows.list': () => ({ ok: false, error: { code: 'forbidden', message: 'Not allowed.' } }),
      'runs.list': () => ({ ok: true, value: [] }),
    });
    await store.getState().load(failing.ops);
    expect(store.getState()).toMatchObject({ error: 'Not allowed.', loading: false });
    expect(store.getState().flows).toHaveLength(1);
  });

  it('follows flows.changed: refreshes a changed flow and drops a deleted or vanished one', async () => {
    const store = createFlowsStore();
    let answer: Result<Flow> = { ok: true, value: flowOf({ enabled: false, state: 'disabled' }) };
    const { ops } = fakeOperations({
      'flows.list': () => ({ ok: true, value: [flowOf()] }),
      'runs.list': () => ({ ok: true, value: [] }),
      'flows.get': () => answer,
    });
    await store.getState().load(ops);
    store.getState().onFlowChanged(ops, { type: 'flows.changed', id: 'flow_aaaaaaaaaa', change: 'disabled' });
    await settle();
    expect(store.getState().flows[0]?.enabled).toBe(false);
    answer = { ok: false, error: { code: 'not-found', message: 'No such flow.' } };
    await store.getState().refreshFlow(ops, 'flow_aaaaaaaaaa');
    expect(store.getState().flows).toEqual([]);
    store.getState().upsertFlow(flowOf());
    store.getState().onFlowChanged(ops, { type: 'flows.changed', id: 'flow_aaaaaaaaaa', change: 'deleted' });
    expect(store.getState().flows).toEqual([]);
  });

  it('ignores flows.changed before the list is loaded (nothing on screen to refresh)', () => {
    const store = createFlowsStore();
    const { ops, calls } = fakeOperations({});
    store.getState().onFlowChanged(ops, { type: 'flows.changed', id: 'flow_aaaaaaaaaa', change: 'updated' });
    expect(calls).toEqual([]);
  });

  it('applies progress to the last run, and reads flow and run again when the run finishes', async () => {
    const store = createFlowsStore();
    const finished = runOf({
      status: 'succeeded',
      counts: { read: 50, mapped: 50, unchanged: 0, written: 50, failed: 0 },
    });
    const { ops, calls } = fakeOperations({
      'flows.list': () => ({ ok: true, value: [flowOf({ lastRunId: 'run_aaaaaaaaaa' })] }),
      'runs.list': () => ({ ok: true, value: [runOf({ status: 'running', finishedAt: null })] }),
      'flows.get': () => ({ ok: true, value: flowOf({ lastRunId: 'run_aaaaaaaaaa', cursor: 'c2' }) }),
      'runs.get': () => ({ ok: true, value: finished }),
    });
    await store.getState().load(ops);
    store.getState().onProgress(ops, progressOf());
    expect(store.getState().lastRuns['flow_aaaaaaaaaa']?.counts.written).toBe(30);
    expect(calls.some((call) => call.name === 'flows.get')).toBe(false);
    store.getState().onProgress(ops, progressOf({ status: 'succeeded' }));
    await settle();
    expect(store.getState().flows[0]?.cursor).toBe('c2');
    expect(store.getState().lastRuns['flow_aaaaaaaaaa']).toEqual(finished);
  });

  it('keeps the newer run when an older one arrives late', () => {
    const store = createFlowsStore();
    store.getState().upsertRun(runOf({ id: 'run_newnewnewn', queuedAt: '2026-01-02T00:00:00Z' }));
    store.getState().upsertRun(runOf({ id: 'run_oldoldoldo', queuedAt: '2026-01-01T00:00:00Z' }));
    expect(store.getState().lastRuns['flow_aaaaaaaaaa']?.id).toBe('run_newnewnewn');
  });

  it('keeps a bounded list of live failures, freshness per flow, and the engine status', () => {
    const store = createFlowsStore();
    for (let i = 0; i < LIVE_FAILURES_KEPT + 10; i++)
      store.getState().onFailure({
        type: 'runs.failure',
        runId: 'run_aaaaaaaaaa',
        flowId: 'flow_aaaaaaaaaa',
        stage: 'load',
        sourceId: `S/${i}`,
        errorCode: 'e',
      });
    expect(store.getState().liveFailures).toHaveLength(LIVE_FAILURES_KEPT);
    expect(store.getState().liveFailures[0]?.sourceId).toBe(`S/${LIVE_FAILURES_KEPT + 9}`);
    const freshness = {
      type: 'flows.freshness' as const,
      flowId: 'flow_aaaaaaaaaa',
      lastSuccessAt: null,
      objectiveMinutes: 15,
      breached: true,
    };
    store.getState().onFreshness(freshness);
    expect(store.getState().freshness['flow_aaaaaaaaaa']).toEqual(freshness);
  });

  it('forgets unfinished progress when the engine restarts, and everything on reset', () => {
    const store = createFlowsStore();
    const { ops } = fakeOperations({});
    store.getState().onProgress(ops, progressOf({ flowId: 'flow_aaaaaaaaaa' }));
    store.getState().onProgress(ops, progressOf({ flowId: 'flow_bbbbbbbbbb', status: 'failed' }));
    store
      .getState()
      .onEngineStatus({ type: 'engine.status', state: 'restarting', activeRuns: 0, queuedRuns: 0 });
    expect(Object.keys(store.getState().progress)).toEqual(['flow_bbbbbbbbbb']);
    expect(store.getState().engine?.state).toBe('restarting');
    store.getState().reset();
    expect(store.getState()).toMatchObject({ flows: [], progress: {}, engine: null, loaded: false });
  });
});
