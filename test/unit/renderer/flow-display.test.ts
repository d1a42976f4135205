import { describe, expect, it } from 'vitest';
import type { Connection } from '../../../shared/domain/connection.js';
import {
  countsText,
  durationText,
  freshnessOf,
  scheduleText,
} from '../../../renderer/pages/flows/flow-display.js';
import { buildFlowRows, currentRun } from '../../../renderer/pages/flows/flow-rows.js';
import { flowOf, progressOf, runOf } from './engine-fixtures.js';

const NOW = new Date('2026-01-01T12:00:00Z');

describe('freshness against the objective', () => {
  it('says "No objective" without one', () => {
    expect(freshnessOf(flowOf(), undefined, NOW)).toEqual({
      state: 'none',
      text: 'No objective',
      detail: '',
    });
  });

  it('is fresh within the objective and breached past it or before any good sync', () => {
    const fresh = flowOf({ freshnessObjectiveMinutes: 15, lastSuccessAt: '2026-01-01T11:50:00Z' });
    expect(freshnessOf(fresh, undefined, NOW).state).toBe('ok');
    const stale = flowOf({ freshnessObjectiveMinutes: 15, lastSuccessAt: '2026-01-01T11:40:00Z' });
    expect(freshnessOf(stale, undefined, NOW)).toMatchObject({ state: 'breached' });
    expect(freshnessOf(stale, undefined, NOW).text).toMatch(/^Breached: objective 15 min, last good sync/);
    const never = flowOf({ freshnessObjectiveMinutes: 15 });
    expect(freshnessOf(never, undefined, NOW).text).toBe('Breached: objective 15 min, never synced');
  });

  it("takes the engine's breach verdict about the same last success, not about an older one", () => {
    const flow = flowOf({ freshnessObjectiveMinutes: 15, lastSuccessAt: '2026-01-01T11:55:00Z' });
    const event = {
      type: 'flows.freshness' as const,
      flowId: flow.id,
      lastSuccessAt: '2026-01-01T11:55:00Z',
      objectiveMinutes: 15,
      breached: true,
    };
    expect(freshnessOf(flow, event, NOW).state).toBe('breached');
    expect(freshnessOf(flow, { ...event, lastSuccessAt: '2026-01-01T10:00:00Z' }, NOW).state).toBe('ok');
  });
});

describe('flow text helpers', () => {
  it('describes schedules, counts and durations', () => {
    expect(scheduleText({ kind: 'manual' })).toBe('Manual');
    expect(scheduleText({ kind: 'cron', expression: '*/5 * * * *', timezone: 'UTC' })).toBe(
      'Cron */5 * * * * (UTC)',
    );
    expect(countsText(runOf().counts)).toBe('read 10 · mapped 9 · unchanged 2 · written 7 · failed 1');
    expect(durationText('2026-01-01T00:00:01Z', '2026-01-01T00:00:03.5Z')).toBe('2.5 s');
    expect(durationText('2026-01-01T00:00:01Z', '2026-01-01T00:00:01.250Z')).toBe('250 ms');
    expect(durationText('2026-01-01T00:00:01Z', null)).toBe('—');
    expect(durationText('garbage', '2026-01-01T00:00:01Z')).toBe('—');
  });
});

describe('the run shown as active', () => {
  it('uses progress of the last run while it goes, and nothing once it finished', () => {
    const running = runOf({ status: 'running', finishedAt: null });
    expect(currentRun(running, progressOf())?.throughput).toBe(1234);
    expect(currentRun(runOf(), progressOf())).toBeNull();
    expect(currentRun(running, progressOf({ status: 'cancelled' }))).toBeNull();
  });

  it('shows a just-queued run before its first event, and a newer scheduled run from events alone', () => {
    const queued = runOf({ id: 'run_newnewnewn', status: 'queued', startedAt: null, finishedAt: null });
    expect(currentRun(queued, progressOf({ runId: 'run_oldoldoldo', status: 'succeeded' }))).toMatchObject({
      runId: 'run_newnewnewn',
      status: 'queued',
    });
    expect(currentRun(runOf(), progressOf({ runId: 'run_newnewnewn' }))?.runId).toBe('run_newnewnewn');
    expect(currentRun(null, undefined)).toBeNull();
  });

  it('joins connection names (a deleted one says so) into rows', () => {
    const connections = [{ id: 'conn_fhirfhirfh', name: 'Clinic FHIR' }] as unknown as Connection[];
    const [row] = buildFlowRows(
      { flows: [flowOf()], lastRuns: {}, progress: {}, freshness: {} },
      connections,
      NOW,
    );
    expect(row).toMatchObject({
      sourceName: 'Clinic FHIR',
      targetName: 'Connection deleted',
      lastRun: null,
      active: null,
    });
  });
});
