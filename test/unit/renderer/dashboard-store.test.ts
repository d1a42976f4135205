import { describe, expect, it } from 'vitest';
import type { OperationFunctions } from '../../../shared/contract/bridge.js';
import type { DashboardOverview } from '../../../shared/domain/dashboard.js';
import type { RunProgress } from '../../../shared/domain/run.js';
import { createDashboardStore, FLUSH_MS } from '../../../renderer/stores/dashboard-store.js';

/** Progress events are gathered and applied once per flush; a finished run reads the overview again. */
describe('dashboard store', () => {
  const overview: DashboardOverview = { generatedAt: 'x', buckets: { minutes: 5, count: 24 }, flows: [] };
  const progress = (
    flowId: string,
    read: number,
    status: RunProgress['status'] = 'running',
  ): RunProgress => ({
    runId: `run_${flowId}`,
    flowId,
    status,
    counts: { read, mapped: read, unchanged: 0, written: read, failed: 0 },
    throughput: read,
    loadLatencyMs: 1,
    queueDepth: 0,
  });

  it('applies a flush of events in one state change and reloads after a run ends', async () => {
    const queued: { fn: () => void; ms: number }[] = [];
    let loads = 0;
    const ops = {
      'dashboard.overview': () => {
        loads += 1;
        return Promise.resolve({ ok: true, value: overview });
      },
      'reconcile.status': () => Promise.resolve({ ok: true, value: [] }),
    } as unknown as OperationFunctions;
    const store = createDashboardStore({ now: () => 0, later: (fn, ms) => queued.push({ fn, ms }) });
    await store.getState().load(ops);
    let changes = 0;
    store.subscribe(() => (changes += 1));
    for (let i = 1; i <= 40; i += 1) store.getState().onProgress(ops, progress(`flow_${i % 20}`, i));
    expect(queued).toHaveLength(1);
    expect(queued[0]?.ms).toBe(FLUSH_MS);
    expect(changes).toBe(0);
    queued.shift()?.fn();
    expect(changes).toBe(1);
    expect(Object.keys(store.getState().progress)).toHaveLength(20);
    expect(store.getState().live.flow_1).toEqual([21]);

    store.getState().onProgress(ops, progress('flow_1', 50, 'succeeded'));
    queued.shift()?.fn();
    // The run ended: one reload scheduled (throttled), none before.
    expect(loads).toBe(1);
    queued.shift()?.fn();
    await Promise.resolve();
    expect(loads).toBe(2);
  });
});
