import type { Connection } from '../../../shared/domain/connection.js';
import type { ExceptionCounts } from '../../../shared/domain/exception.js';
import type { Run, RunProgress } from '../../../shared/domain/run.js';
import { waitingCount } from '../../stores/exceptions-store.js';
import { isFinished, type FlowsSlice } from '../../stores/flows-store.js';
import { activeProgress, freshnessOf } from './flow-display.js';
import type { FlowRow } from './flow-columns.js';

/**
 * A connection's name; its id while the list has not arrived (null); once it has, a connection not
 * in it was deleted and the row says so (its flows were paused with it, issue 14).
 */
function connectionName(connections: readonly Connection[] | null, id: string): string {
  if (connections === null) return id;
  return connections.find((connection) => connection.id === id)?.name ?? 'Connection deleted';
}

/**
 * The run still going for a flow, from the two things that can say so: the newest progress event,
 * and the last run the server returned (a run just queued by "Run now" has no progress event yet).
 * What the server reports finished is never shown as active, even if a late event says otherwise.
 */
export function currentRun(lastRun: Run | null, progress: RunProgress | undefined): RunProgress | null {
  if (lastRun !== null && !isFinished(lastRun.status)) {
    if (progress?.runId === lastRun.id) return activeProgress(progress);
    return {
      runId: lastRun.id,
      flowId: lastRun.flowId,
      status: lastRun.status,
      counts: lastRun.counts,
      throughput: 0,
      loadLatencyMs: 0,
      queueDepth: 0,
    };
  }
  if (progress !== undefined && progress.runId !== lastRun?.id) return activeProgress(progress);
  return null;
}

/**
 * Joins each flow with its connections' names, last run, live progress, freshness and the
 * exceptions that wait for a person (open and dead): a flow with any is not "Fresh", whatever its
 * last good sync says, because records of it did not arrive.
 */
export function buildFlowRows(
  state: Pick<FlowsSlice, 'flows' | 'lastRuns' | 'progress' | 'freshness'>,
  connections: readonly Connection[] | null,
  now: Date = new Date(),
  exceptionCounts: readonly ExceptionCounts[] = [],
): FlowRow[] {
  return state.flows.map((flow) => {
    const lastRun = state.lastRuns[flow.id] ?? null;
    return {
      flow,
      sourceName: connectionName(connections, flow.sourceConnectionId),
      targetName: connectionName(connections, flow.targetConnectionId),
      lastRun,
      active: currentRun(lastRun, state.progress[flow.id]),
      freshness: freshnessOf(flow, state.freshness[flow.id], now),
      openExceptions: waitingCount(exceptionCounts, flow.id),
    };
  });
}
/** A flow needs attention when its objective is breached or records of it wait in the inbox. */
export function needsAttention(row: Pick<FlowRow, 'freshness' | 'openExceptions'>): boolean {
  return row.freshness.state === 'breached' || row.openExceptions > 0;
}
