import type Database from 'better-sqlite3';
import type { ConnectionBreakerView } from '../../../shared/domain/connection-breaker.js';
import type { Connection } from '../../../shared/domain/connection.js';
import type { Flow } from '../../../shared/domain/flow.js';
import type {
  ConnectionOutageView,
  DegradedMode,
  OutageExposure,
  OutagesOverview,
  OutboxDrainView,
  OutboxFlowView,
} from '../../../shared/domain/outage.js';
import type { Run } from '../../../shared/domain/run.js';
import { ConnectionsRepo } from '../../repositories/connections-repo.js';
import { breakerViews } from '../breakers/breaker-views.js';
import { FlowsRepo } from '../store/flows-repo.js';
import { RunsRepo } from '../store/runs-repo.js';
import { DegradedModes } from './degraded-modes.js';
import { OutboxRepo, type OutboxDepth } from './outbox-repo.js';

/** Everything one overview is computed from, read in one go so the parts agree with each other. */
export interface OutageSnapshot {
  readonly connections: readonly Connection[];
  readonly flows: readonly Flow[];
  readonly breakers: readonly ConnectionBreakerView[];
  readonly degraded: readonly DegradedMode[];
  readonly depths: readonly OutboxDepth[];
  readonly unfinishedRuns: readonly Run[];
}

/**
 * The Outages page's overview, read from the store the engine writes (breakers, outbox, runs) and
 * the serving side writes (degraded mode). Read only: nothing here moves a breaker or a write.
 */
export class OutageViews {
  private readonly connections: ConnectionsRepo;
  private readonly flows: FlowsRepo;
  private readonly runs: RunsRepo;
  private readonly degraded: DegradedModes;
  private readonly outbox: OutboxRepo;

  constructor(private readonly db: Database.Database) {
    this.connections = new ConnectionsRepo(db);
    this.flows = new FlowsRepo(db);
    this.runs = new RunsRepo(db);
    this.degraded = new DegradedModes(db);
    this.outbox = new OutboxRepo(db);
  }

  snapshot(): OutageSnapshot {
    // One read transaction: the engine commits between statements otherwise, and a drain's counts
    // could then be newer than the depth they are compared with.
    return this.db.transaction(() => ({
      connections: this.connections.list(),
      flows: this.flows.list(),
      breakers: breakerViews(this.db),
      degraded: this.degraded.all(),
      depths: this.outbox.depths(),
      unfinishedRuns: this.runs.unfinished(),
    }))();
  }

  overview(now: Date = new Date()): OutagesOverview {
    return buildOverview(this.snapshot(), now);
  }
}

export function buildOverview(snapshot: OutageSnapshot, now: Date): OutagesOverview {
  const breakerOf = new Map(snapshot.breakers.map((breaker) => [breaker.connectionId, breaker]));
  const degradedOf = new Map(snapshot.degraded.map((mode) => [mode.connectionId, mode]));
  const flowName = new Map(snapshot.flows.map((flow) => [flow.id, flow.name]));

  const connections = snapshot.connections.map((connection): ConnectionOutageView => {
    const depths = snapshot.depths.filter((depth) => depth.connectionId === connection.id);
    return {
      connectionId: connection.id,
      name: connection.name,
      kind: connection.kind,
      breaker: breakerOf.get(connection.id) ?? null,
      degraded: degradedOf.get(connection.id) ?? null,
      waiting: sum(depths),
      oldestQueuedAt: oldest(depths),
      flows: flowsUsing(connection.id, snapshot.flows),
    };
  });

  const outbox = snapshot.depths.map((depth): OutboxFlowView => ({
    flowId: depth.flowId,
    flowName: flowName.get(depth.flowId) ?? depth.flowId,
    connectionId: depth.connectionId,
    waiting: depth.waiting,
    held: depth.held,
    oldestQueuedAt: depth.oldestQueuedAt,
    drain: drainOf(depth, snapshot.unfinishedRuns, now),
  }));

  return { connections, outbox, exposure: exposureOf(connections, snapshot.depths) };
}

/** The flows reading from or writing to a connection; a flow doing both is listed in both roles. */
function flowsUsing(connectionId: string, flows: readonly Flow[]): ConnectionOutageView['flows'] {
  return flows.flatMap((flow) => [
    ...(flow.sourceConnectionId === connectionId
      ? [{ flowId: flow.id, name: flow.name, role: 'source' as const }]
      : []),
    ...(flow.targetConnectionId === connectionId
      ? [{ flowId: flow.id, name: flow.name, role: 'target' as const }]
      : []),
  ]);
}

/**
 * The drain of a flow's outbox: its unfinished run while writes wait (a flow runs one at a time, so
 * that run sends the outbox before it reads the source). A running or paused run is the one at work;
 * a queued one only when nothing runs yet.
 */
function drainOf(depth: OutboxDepth, runs: readonly Run[], now: Date): OutboxDrainView | null {
  const ofFlow = runs.filter((run) => run.flowId === depth.flowId);
  const run = ofFlow.find((r) => r.status !== 'queued') ?? ofFlow[0];
  if (run === undefined || (run.status !== 'queued' && run.status !== 'running' && run.status !== 'paused'))
    return null;
  const sent = run.counts.drained ?? 0;
  const elapsedSeconds = run.startedAt === null ? 0 : (now.getTime() - Date.parse(run.startedAt)) / 1000;
  const perSecond = sent > 0 && elapsedSeconds > 0 ? sent / elapsedSeconds : null;
  return {
    runId: run.id,
    status: run.status,
    sent,
    total: sent + depth.waiting,
    startedAt: run.startedAt,
    perSecond: perSecond === null ? null : Math.round(perSecond * 100) / 100,
    etaSeconds: perSecond === null ? null : Math.ceil(depth.waiting / perSecond),
  };
}

/**
 * What the banner shows. A connection both degraded and with its breaker open is listed once, as
 * degraded: the administrator's switch is what decides when its writes go out again.
 */
function exposureOf(
  connections: readonly ConnectionOutageView[],
  depths: readonly OutboxDepth[],
): OutageExposure {
  const down = connections.flatMap((connection): OutageExposure['down'][number][] => {
    if (connection.degraded !== null)
      return [
        {
          connectionId: connection.connectionId,
          name: connection.name,
          since: connection.degraded.since,
          why: 'degraded',
        },
      ];
    if (connection.breaker !== null && connection.breaker.state !== 'closed')
      return [
        {
          connectionId: connection.connectionId,
          name: connection.name,
          since: connection.breaker.since,
          why: 'breaker',
        },
      ];
    return [];
  });
  const held = depths.reduce((total, depth) => total + depth.held, 0);
  return { down, waiting: sum(depths), held, oldestQueuedAt: oldest(depths) };
}

function sum(depths: readonly OutboxDepth[]): number {
  return depths.reduce((total, depth) => total + depth.waiting, 0);
}

/** ISO timestamps of one clock compare as text. */
function oldest(depths: readonly OutboxDepth[]): string | null {
  return depths.reduce<string | null>(
    (min, depth) => (min === null || depth.oldestQueuedAt < min ? depth.oldestQueuedAt : min),
    null,
  );
}
