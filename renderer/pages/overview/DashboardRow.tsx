import { memo, useMemo } from 'react';
import type { DashboardFlow } from '../../../shared/domain/dashboard.js';
import type { ReconcileStatus } from '../../../shared/domain/flow-reconcile.js';
import type { RunProgress } from '../../../shared/domain/run.js';
import { relativeTime } from '../../app/format-time.js';
import {
  failureRateSeries,
  freshnessTone,
  reconcileText,
  runBar,
  seriesText,
  throughputSeries,
} from './dashboard-model.js';
import { Sparkline } from './Sparkline.js';

interface DashboardRowProps {
  readonly flow: DashboardFlow;
  readonly progress: RunProgress | undefined;
  /** Live throughput samples (records/s) while the flow runs. */
  readonly live: readonly number[] | undefined;
  /** The flow's reconciliation status, absent when it does not reconcile. */
  readonly reconcile: ReconcileStatus | undefined;
  readonly bucketMinutes: number;
  readonly now: Date;
}

function stateText(flow: DashboardFlow): string {
  return flow.enabled ? flow.state : 'disabled';
}

/** One flow on the dashboard; memoized, so a progress event of one flow redraws only its row. */
export const DashboardRow = memo(function DashboardRow({
  flow,
  progress,
  live,
  reconcile,
  bucketMinutes,
  now,
}: DashboardRowProps) {
  const freshness = freshnessTone(flow, now);
  const bar = runBar(progress, flow.usualRead);
  const running = bar !== null;
  const throughput = useMemo(
    () => (running && live !== undefined && live.length > 1 ? live : throughputSeries(flow, bucketMinutes)),
    [running, live, flow, bucketMinutes],
  );
  const failures = useMemo(() => failureRateSeries(flow), [flow]);
  const throughputLabel = `${flow.name} throughput${running ? ' (live, records/s)' : ''}: ${seriesText(throughput, running ? 'records/s' : 'records/min')}`;
  const run = flow.lastRun;
  return (
    <tr data-flow-id={flow.flowId} className={freshness.tone === 'red' ? 'dashboard-breached' : undefined}>
      <th scope="row">
        <a href={`#/flows`}>{flow.name}</a>
        {/* The overview is read when a run ends; while one runs, its progress says so first. */}
        <span className="flow-state">
          {bar !== null && progress !== undefined ? progress.status : stateText(flow)}
        </span>
        {bar !== null && (
          <div className="run-bar">
            {bar.percent === null ? (
              <progress aria-label={`${flow.name} run progress`} />
            ) : (
              <progress aria-label={`${flow.name} run progress`} max={100} value={bar.percent} />
            )}
            <span className="run-bar-text">{bar.text}</span>
          </div>
        )}
      </th>
      <td>
        {run === null ? (
          <span className="muted">Never run</span>
        ) : (
          <>
            {run.status}
            <span className="muted">
              {' '}
              · {relativeTime(run.finishedAt ?? run.startedAt ?? run.queuedAt, now)}
            </span>
          </>
        )}
      </td>
      <td>
        <span className={`freshness-dot freshness-${freshness.tone}`} aria-hidden="true" />
        <span className="freshness-text">{freshness.text}</span>
      </td>
      <td>
        <Sparkline values={throughput} label={throughputLabel} tone="throughput" />
      </td>
      <td>
        <Sparkline
          values={failures}
          label={`${flow.name} failure rate: ${seriesText(failures, '%')}`}
          tone="failures"
        />
      </td>
      <td className="numeric">{flow.openExceptions.toLocaleString('en-US')}</td>
      <td className="numeric">{flow.outboxWaiting.toLocaleString('en-US')}</td>
      <td className={reconcileText(reconcile).alert ? 'reconcile-differs' : undefined}>
        {reconcileText(reconcile).text}
      </td>
      <td className="numeric">
        {flow.holds === 0 ? (
          '0'
        ) : (
          <a href="#/exceptions">
            {flow.holds} held ({flow.held.toLocaleString('en-US')} writes)
          </a>
        )}
      </td>
    </tr>
  );
});
