import { afterEach, describe, expect, it } from 'vitest';
import type { OscBridge } from '../../../shared/contract/bridge.js';
import { handleLiveEvent } from '../../../renderer/app/use-live-events.js';
import { flowsStore } from '../../../renderer/stores/flows-store.js';
import { runsStore } from '../../../renderer/stores/runs-store.js';
import { fakeOperations } from './fake-operations.js';
import { progressOf, runOf } from './engine-fixtures.js';

afterEach(() => {
  flowsStore.getState().reset();
  runsStore.getState().reset();
});

describe('engine live events reach the stores', () => {
  it('routes progress to both the flows and the open runs list, freshness and engine status to flows', async () => {
    const { ops } = fakeOperations({
      'runs.list': () => ({ ok: true, value: [runOf({ status: 'running' })] }),
    });
    const client: OscBridge = { operations: ops, onEvent: () => () => undefined };
    await runsStore.getState().openFlow(ops, 'flow_aaaaaaaaaa');
    handleLiveEvent(client, { type: 'runs.progress', progress: progressOf() });
    expect(flowsStore.getState().progress['flow_aaaaaaaaaa']?.throughput).toBe(1234);
    expect(runsStore.getState().runs[0]?.counts.written).toBe(30);
    handleLiveEvent(client, {
      type: 'flows.freshness',
      flowId: 'flow_aaaaaaaaaa',
      lastSuccessAt: null,
      objectiveMinutes: 5,
      breached: true,
    });
    handleLiveEvent(client, { type: 'engine.status', state: 'running', activeRuns: 1, queuedRuns: 0 });
    handleLiveEvent(client, {
      type: 'runs.failure',
      runId: 'run_aaaaaaaaaa',
      flowId: 'flow_aaaaaaaaaa',
      stage: 'map',
      sourceId: 'S/1',
      errorCode: 'value-map-missing',
    });
    const state = flowsStore.getState();
    expect(state.freshness['flow_aaaaaaaaaa']?.breached).toBe(true);
    expect(state.engine?.activeRuns).toBe(1);
    expect(state.liveFailures.map((failure) => failure.sourceId)).toEqual(['S/1']);
  });
});
