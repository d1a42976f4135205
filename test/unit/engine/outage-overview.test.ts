import { describe, expect, it } from 'vitest';
import { buildOverview, type OutageSnapshot } from '../../../main/engine/outbox/outage-views.js';
import type { ConnectionBreakerView } from '../../../shared/domain/connection-breaker.js';
import type { Connection } from '../../../shared/domain/connection.js';
import type { Flow } from '../../../shared/domain/flow.js';
import type { Run, RunStatus } from '../../../shared/domain/run.js';

const NOW = new Date('2026-12-01T10:00:00.000Z');

const connection = (id: string, name: string, kind: Connection['kind']): Connection =>
  ({ id, name, kind }) as Connection;
const flow = (id: string, name: string, source: string, target: string): Flow =>
  ({ id, name, sourceConnectionId: source, targetConnectionId: target }) as Flow;
const run = (
  id: string,
  flowId: string,
  status: RunStatus,
  startedAt: string | null,
  drained?: number,
): Run =>
  ({
    id,
    flowId,
    status,
    startedAt,
    counts: { read: 0, mapped: 0, unchanged: 0, written: 0, failed: 0, ...(drained ? { drained } : {}) },
  }) as Run;
const breaker = (connectionId: string, state: ConnectionBreakerView['state'], since: string) =>
  ({ connectionId, state, since }) as ConnectionBreakerView;

const BASE: OutageSnapshot = {
  connections: [connection('conn_odoo', 'Odoo', 'odoo'), connection('conn_fhir', 'FHIR', 'fhir')],
  flows: [
    flow('flow_a', 'Supplies', 'conn_fhir', 'conn_odoo'),
    flow('flow_b', 'Charges', 'conn_fhir', 'conn_odoo'),
  ],
  breakers: [],
  degraded: [],
  depths: [
    {
      flowId: 'flow_a',
      connectionId: 'conn_odoo',
      waiting: 300,
      held: 40,
      oldestQueuedAt: '2026-12-01T08:30:00.000Z',
    },
    {
      flowId: 'flow_b',
      connectionId: 'conn_odoo',
      waiting: 5,
      held: 0,
      oldestQueuedAt: '2026-12-01T08:00:00.000Z',
    },
  ],
  unfinishedRuns: [],
};

describe('outage overview', () => {
  it('drain progress: sent from the run counts, pace since its start, ETA at that pace', () => {
    const overview = buildOverview(
      {
        ...BASE,
        // A queued run behind the running one does not hide the drain at work.
        unfinishedRuns: [
          run('run_queued', 'flow_a', 'queued', null),
          run('run_drain', 'flow_a', 'running', '2026-12-01T09:58:20.000Z', 200),
        ],
      },
      NOW,
    );
    // 200 sent in 100 s: 2 a second; 300 left: 150 s.
    expect(overview.outbox[0]?.drain).toEqual({
      runId: 'run_drain',
      status: 'running',
      sent: 200,
      total: 500,
      startedAt: '2026-12-01T09:58:20.000Z',
      perSecond: 2,
      etaSeconds: 150,
    });
    expect(overview.outbox[1]?.drain).toBeNull();
  });

  it('a drain that has sent nothing yet has no pace and no ETA', () => {
    const overview = buildOverview(
      { ...BASE, unfinishedRuns: [run('run_q', 'flow_b', 'queued', null)] },
      NOW,
    );
    expect(overview.outbox[1]?.drain).toMatchObject({
      runId: 'run_q',
      sent: 0,
      total: 5,
      perSecond: null,
      etaSeconds: null,
    });
  });

  it('exposure: degraded or breaker not closed, the total waiting and the oldest write', () => {
    const overview = buildOverview(
      {
        ...BASE,
        breakers: [
          breaker('conn_odoo', 'half-open', '2026-12-01T07:00:00.000Z'),
          breaker('conn_fhir', 'closed', '2026-11-01T00:00:00.000Z'),
        ],
      },
      NOW,
    );
    expect(overview.exposure).toEqual({
      down: [{ connectionId: 'conn_odoo', name: 'Odoo', since: '2026-12-01T07:00:00.000Z', why: 'breaker' }],
      waiting: 305,
      // The writes of a held anomalous batch (issue 12), counted among the waiting ones.
      held: 40,
      oldestQueuedAt: '2026-12-01T08:00:00.000Z',
    });
    expect(overview.connections[0]).toMatchObject({
      waiting: 305,
      oldestQueuedAt: '2026-12-01T08:00:00.000Z',
    });
    expect(overview.connections[1]).toMatchObject({ waiting: 0, oldestQueuedAt: null });

    const degraded = buildOverview(
      {
        ...BASE,
        breakers: [breaker('conn_odoo', 'open', '2026-12-01T07:00:00.000Z')],
        degraded: [
          {
            connectionId: 'conn_odoo',
            reason: 'upgrade',
            since: '2026-12-01T07:30:00.000Z',
            switchedBy: 'admin',
          },
        ],
      },
      NOW,
    );
    // Listed once, as degraded: the administrator's switch decides when writes go out again.
    expect(degraded.exposure.down).toEqual([
      { connectionId: 'conn_odoo', name: 'Odoo', since: '2026-12-01T07:30:00.000Z', why: 'degraded' },
    ]);
  });
});
