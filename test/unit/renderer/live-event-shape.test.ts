import { describe, expect, it } from 'vitest';
import { isLiveEvent, parseLiveEvent } from '../../../renderer/client/live-event-shape.js';
import { progressOf } from './engine-fixtures.js';

const GOOD = {
  flowsChanged: { type: 'flows.changed', id: 'flow_aaaaaaaaaa', change: 'enabled' },
  mappingsChanged: { type: 'mappings.changed', id: 'map_aaaaaaaaaa', version: 3, change: 'approved' },
  progress: { type: 'runs.progress', progress: progressOf() },
  failure: {
    type: 'runs.failure',
    runId: 'run_aaaaaaaaaa',
    flowId: 'flow_aaaaaaaaaa',
    stage: 'load',
    sourceId: 'SupplyDelivery/1',
    errorCode: 'odoo-validation',
  },
  freshness: {
    type: 'flows.freshness',
    flowId: 'flow_aaaaaaaaaa',
    lastSuccessAt: null,
    objectiveMinutes: 15,
    breached: true,
  },
  engine: { type: 'engine.status', state: 'restarting', activeRuns: 0, queuedRuns: 2 },
} as const;

describe('live event shapes of the engine events', () => {
  it('accepts each of the six engine event types when well formed', () => {
    for (const [name, event] of Object.entries(GOOD)) expect(isLiveEvent(event), name).toBe(true);
    expect(parseLiveEvent(JSON.stringify(GOOD.progress))).toEqual(GOOD.progress);
  });

  it('drops flows.changed and mappings.changed with a wrong or unknown field', () => {
    expect(isLiveEvent({ ...GOOD.flowsChanged, change: 'exploded' })).toBe(false);
    expect(isLiveEvent({ ...GOOD.flowsChanged, id: 42 })).toBe(false);
    expect(isLiveEvent({ ...GOOD.mappingsChanged, version: '3' })).toBe(false);
    expect(isLiveEvent({ ...GOOD.mappingsChanged, version: 1.5 })).toBe(false);
    expect(isLiveEvent({ ...GOOD.mappingsChanged, change: 'deleted' })).toBe(false);
  });

  it('drops progress with missing, negative, non-finite or mistyped numbers and unknown statuses', () => {
    const bad = [
      { ...GOOD.progress, progress: null },
      { ...GOOD.progress, progress: { ...progressOf(), status: 'exploding' } },
      { ...GOOD.progress, progress: { ...progressOf(), throughput: -1 } },
      { ...GOOD.progress, progress: { ...progressOf(), loadLatencyMs: Number.POSITIVE_INFINITY } },
      { ...GOOD.progress, progress: { ...progressOf(), queueDepth: '3' } },
      {
        ...GOOD.progress,
        progress: { ...progressOf(), counts: { read: 1, mapped: 1, unchanged: 0, written: 1 } },
      },
      { ...GOOD.progress, progress: { ...progressOf(), runId: undefined } },
    ];
    for (const event of bad) expect(isLiveEvent(event), JSON.stringify(event)).toBe(false);
  });

  it('drops failures with an unknown stage or a missing source id, freshness and engine events of the wrong shape', () => {
    expect(isLiveEvent({ ...GOOD.failure, stage: 'teleport' })).toBe(false);
    expect(isLiveEvent({ ...GOOD.failure, sourceId: null })).toBe(false);
    expect(isLiveEvent({ ...GOOD.freshness, breached: 'yes' })).toBe(false);
    expect(isLiveEvent({ ...GOOD.freshness, lastSuccessAt: 5 })).toBe(false);
    expect(isLiveEvent({ ...GOOD.freshness, lastSuccessAt: '2026-01-01T00:00:00Z' })).toBe(true);
    expect(isLiveEvent({ ...GOOD.engine, state: 'on fire' })).toBe(false);
    expect(isLiveEvent({ ...GOOD.engine, activeRuns: -2 })).toBe(false);
  });

  it('accepts exceptions.changed with ids, a flow and a state, and drops it otherwise', () => {
    const good = {
      type: 'exceptions.changed',
      flowId: 'flow_aaaaaaaaaa',
      ids: ['exc_aaaaaaaaaa'],
      state: 'ignored',
    };
    expect(isLiveEvent(good)).toBe(true);
    expect(isLiveEvent({ ...good, flowId: null, ids: [], state: null })).toBe(true);
    expect(isLiveEvent({ ...good, state: 'exploded' })).toBe(false);
    expect(isLiveEvent({ ...good, ids: [1] })).toBe(false);
    expect(isLiveEvent({ ...good, ids: 'exc_aaaaaaaaaa' })).toBe(false);
    expect(isLiveEvent({ ...good, flowId: 3 })).toBe(false);
  });

  it('accepts outages.changed with a known change and ids or nulls, and drops it otherwise', () => {
    const good = {
      type: 'outages.changed',
      change: 'fallback',
      connectionId: null,
      flowId: 'flow_aaaaaaaaaa',
    };
    expect(isLiveEvent(good)).toBe(true);
    for (const change of ['degraded', 'restored', 'outbox', 'drain-finished', 'drain-stuck']) {
      expect(isLiveEvent({ ...good, change, connectionId: 'conn_aaaaaaaaaa' })).toBe(true);
    }
    expect(isLiveEvent({ ...good, change: 'exploded' })).toBe(false);
    expect(isLiveEvent({ ...good, flowId: 7 })).toBe(false);
    expect(isLiveEvent({ ...good, connectionId: undefined })).toBe(false);
  });

  it('still drops unknown types, non-objects and broken JSON', () => {
    expect(isLiveEvent({ type: 'flows.exploded' })).toBe(false);
    expect(isLiveEvent([GOOD.engine])).toBe(false);
    expect(parseLiveEvent('{"type":"engine.status"')).toBeNull();
    expect(parseLiveEvent(42)).toBeNull();
  });
});
