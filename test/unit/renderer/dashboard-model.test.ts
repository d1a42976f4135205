import { describe, expect, it } from 'vitest';
import type { DashboardFlow } from '../../../shared/domain/dashboard.js';
import type { RunProgress } from '../../../shared/domain/run.js';
import {
  failureRateSeries,
  freshnessTone,
  reconcileText,
  runBar,
  throughputSeries,
} from '../../../renderer/pages/overview/dashboard-model.js';

const NOW = new Date('2026-12-02T10:00:00.000Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000).toISOString();

function flowOf(overrides: Partial<DashboardFlow> = {}): DashboardFlow {
  return {
    flowId: 'flow_a',
    name: 'Supplies',
    state: 'idle',
    enabled: true,
    lastRun: null,
    lastSuccessAt: minutesAgo(5),
    freshnessObjectiveMinutes: 60,
    openExceptions: 0,
    outboxWaiting: 0,
    held: 0,
    holds: 0,
    usualRead: null,
    written: [0, 100, 50, 0],
    failed: [0, 0, 50, 0],
    ...overrides,
  };
}

function progressOf(
  read: number,
  throughput: number,
  status: RunProgress['status'] = 'running',
): RunProgress {
  return {
    runId: 'run_1',
    flowId: 'flow_a',
    status,
    counts: { read, mapped: read, unchanged: 0, written: read - 2, failed: 2 },
    throughput,
    loadLatencyMs: 10,
    queueDepth: 0,
  };
}

describe('dashboard model', () => {
  it('freshness: green inside three quarters of the objective, amber in its last quarter, red past it or never synced', () => {
    expect(freshnessTone(flowOf({ lastSuccessAt: minutesAgo(44) }), NOW).tone).toBe('green');
    expect(freshnessTone(flowOf({ lastSuccessAt: minutesAgo(45) }), NOW).tone).toBe('amber');
    expect(freshnessTone(flowOf({ lastSuccessAt: minutesAgo(60) }), NOW).tone).toBe('amber');
    const breached = freshnessTone(flowOf({ lastSuccessAt: minutesAgo(61) }), NOW);
    expect(breached.tone).toBe('red');
    expect(breached.text).toMatch(/^Breached: last good sync .* \(objective 60 min\)$/);
    expect(freshnessTone(flowOf({ lastSuccessAt: null }), NOW)).toEqual({
      tone: 'red',
      text: 'Breached: never synced (objective 60 min)',
    });
    expect(freshnessTone(flowOf({ freshnessObjectiveMinutes: null }), NOW).tone).toBe('none');
  });

  it('a running flow: a bar against its usual run size with counts, rate and ETA; counts only without one', () => {
    expect(runBar(progressOf(300, 100), 1000)).toEqual({
      done: 300,
      expected: 1000,
      percent: 30,
      text: '300 read, 298 written, 2 failed · 100 records/s · about 7 s left (usual run 1,000)',
    });
    // Past the usual size the bar waits at 99 % and says it does not know.
    expect(runBar(progressOf(1500, 100), 1000)).toMatchObject({ percent: 99 });
    expect(runBar(progressOf(1500, 100), 1000)?.text).toMatch(/time left unknown/);
    expect(runBar(progressOf(300, 100), null)).toMatchObject({ expected: null, percent: null });
    expect(runBar(progressOf(300, 100, 'succeeded'), 1000)).toBeNull();
    expect(runBar(undefined, 1000)).toBeNull();
  });

  it('sparklines: records per minute per bucket, and the failed share in percent', () => {
    expect(throughputSeries(flowOf(), 5)).toEqual([0, 20, 10, 0]);
    expect(failureRateSeries(flowOf())).toEqual([0, 0, 50, 0]);
  });

  it('reconciliation: differences stand out; in balance says over how many periods; a flow without one shows a dash', () => {
    const status = {
      flowId: 'flow_a',
      flowName: 'Supplies',
      period: 'month' as const,
      schedule: null,
      lastRun: null,
      lastCheckedAt: '2026-12-02T09:00:00.000Z',
      periodsBalanced: 3,
      periodsDiffering: 1,
      openDifferences: 2,
    };
    expect(reconcileText(status)).toEqual({ text: '2 differences in 1 period', alert: true });
    expect(reconcileText({ ...status, openDifferences: 0, periodsDiffering: 0 })).toEqual({
      text: 'In balance (3 periods)',
      alert: false,
    });
    expect(reconcileText({ ...status, lastCheckedAt: null }).text).toBe('Not checked yet');
    expect(reconcileText(undefined)).toEqual({ text: '—', alert: false });
  });
});
