import { afterEach, describe, expect, it } from 'vitest';
import { cronProblem, FlowScheduler } from '../../../main/engine/scheduler/flow-scheduler.js';
import type { LiveEvent } from '../../../shared/contract/events.js';
import type { Flow } from '../../../shared/domain/flow.js';

const flow = (over: Partial<Flow>): Flow => ({
  id: 'flow_aaaaaaaaaa',
  name: 'f',
  description: '',
  sourceConnectionId: 'conn_source00000',
  sourceSelector: {},
  targetConnectionId: 'conn_target00000',
  targetOperation: {},
  mappingId: 'map_aaaaaaaaaa',
  schedule: { kind: 'manual' },
  batchSize: 10,
  orderingKey: '',
  freshnessObjectiveMinutes: null,
  enabled: true,
  state: 'idle',
  cursor: null,
  lastRunId: null,
  lastSuccessAt: null,
  createdAt: '',
  createdBy: '',
  updatedAt: '',
  updatedBy: '',
  ...over,
});

describe('cronProblem', () => {
  it('accepts croner expressions and explains bad ones', () => {
    expect(cronProblem('*/15 * * * *')).toBeNull();
    expect(cronProblem('0 6 * * 1-5', 'Europe/Berlin')).toBeNull();
    expect(cronProblem('61 * * * *')).toMatch(/.+/);
    expect(cronProblem('not a cron')).toMatch(/.+/);
    expect(cronProblem('* * * * *', 'Mars/Olympus')).toMatch(/.+/);
  });
});

describe('FlowScheduler', () => {
  let scheduler: FlowScheduler | null = null;
  afterEach(() => scheduler?.stop());

  it('schedules enabled cron flows only, and follows changes', () => {
    let flows = [
      flow({ id: 'flow_cron000001', schedule: { kind: 'cron', expression: '*/5 * * * *' } }),
      flow({ id: 'flow_cron000002', schedule: { kind: 'cron', expression: '*/5 * * * *' }, enabled: false }),
      flow({ id: 'flow_manual0001' }),
    ];
    scheduler = new FlowScheduler({
      flows: () => flows,
      trigger: () => undefined,
      inboundHeads: () => new Map(),
      emit: () => undefined,
    });
    scheduler.start();
    expect([...scheduler.nextRuns().keys()]).toEqual(['flow_cron000001']);
    flows = [flow({ id: 'flow_cron000002', schedule: { kind: 'cron', expression: '0 * * * *' } })];
    scheduler.reload();
    expect([...scheduler.nextRuns().keys()]).toEqual(['flow_cron000002']);
  });

  it('wakes real-time flows when their source connection receives new events', () => {
    const triggered: string[] = [];
    let heads = new Map([['conn_source00000', 3]]);
    const flows = [
      flow({ id: 'flow_realtime01', schedule: { kind: 'realtime' } }),
      flow({ id: 'flow_realtime02', schedule: { kind: 'realtime' }, sourceConnectionId: 'conn_other000000' }),
    ];
    scheduler = new FlowScheduler({
      flows: () => flows,
      trigger: (id, why) => triggered.push(`${id}:${why}`),
      inboundHeads: () => heads,
      emit: () => undefined,
    });
    scheduler.start();
    scheduler.pollRealtime();
    expect(triggered).toEqual([]); // events that were there at start are not new
    heads = new Map([['conn_source00000', 4]]);
    scheduler.pollRealtime();
    expect(triggered).toEqual(['flow_realtime01:realtime']);
  });

  it('reports freshness against the objective', () => {
    const events: LiveEvent[] = [];
    const now = Date.parse('2026-01-01T12:00:00Z');
    scheduler = new FlowScheduler({
      flows: () => [
        flow({ id: 'flow_fresh00001', freshnessObjectiveMinutes: 15, lastSuccessAt: '2026-01-01T11:50:00Z' }),
        flow({ id: 'flow_stale00001', freshnessObjectiveMinutes: 15, lastSuccessAt: '2026-01-01T11:00:00Z' }),
        flow({ id: 'flow_never00001', freshnessObjectiveMinutes: 15 }),
      ],
      trigger: () => undefined,
      inboundHeads: () => new Map(),
      emit: (event) => events.push(event),
      now: () => now,
    });
    scheduler.checkFreshness();
    expect(events.map((e) => (e.type === 'flows.freshness' ? [e.flowId, e.breached] : null))).toEqual([
      ['flow_fresh00001', false],
      ['flow_stale00001', true],
      ['flow_never00001', true],
    ]);
  });
});
