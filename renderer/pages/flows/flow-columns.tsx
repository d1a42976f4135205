import { createColumnHelper, tableFeatures } from '@tanstack/react-table';
import type { Flow } from '../../../shared/domain/flow.js';
import type { Run, RunProgress } from '../../../shared/domain/run.js';
import { absoluteTime, relativeTime } from '../../app/format-time.js';
import {
  countsText,
  RUN_STATUS_LABELS,
  runStatusTone,
  scheduleText,
  settingsText,
  type Freshness,
} from './flow-display.js';

/** One table row: the flow and what the page knows about it from other stores and events. */
export interface FlowRow {
  readonly flow: Flow;
  readonly sourceName: string;
  readonly targetName: string;
  readonly lastRun: Run | null;
  /** Live progress of a run still going; null when none is. */
  readonly active: RunProgress | null;
  readonly freshness: Freshness;
  /** Open and dead exceptions of the flow: any of them means the flow needs attention. */
  readonly openExceptions: number;
}

export const flowFeatures = tableFeatures({});
const helper = createColumnHelper<typeof flowFeatures, FlowRow>();

const STATE_LABELS: Readonly<Record<Flow['state'], string>> = {
  idle: 'Idle',
  running: 'Running',
  paused: 'Paused',
  disabled: 'Disabled',
};

function LastRunCell({ row }: { readonly row: FlowRow }) {
  if (row.active !== null) {
    const { counts, throughput, loadLatencyMs, queueDepth, status } = row.active;
    return (
      <div className="run-live" aria-live="polite">
        <span className={`badge badge-${runStatusTone(status)}`}>{RUN_STATUS_LABELS[status]}</span>{' '}
        <span className="run-counts">{countsText(counts)}</span>
        <div className="muted run-rates">
          {throughput} records/s · load latency {loadLatencyMs} ms · queue {queueDepth}
        </div>
      </div>
    );
  }
  const run = row.lastRun;
  if (run === null) return <span className="muted">Never run</span>;
  const at = run.finishedAt ?? run.startedAt ?? run.queuedAt;
  return (
    <div>
      <span className={`badge badge-${runStatusTone(run.status)}`}>{RUN_STATUS_LABELS[run.status]}</span>{' '}
      <time dateTime={at} title={absoluteTime(at)}>
        {relativeTime(at)}
      </time>
      <div className="run-counts">{countsText(run.counts)}</div>
      {run.error !== null && <div className="field-error">{run.error}</div>}
    </div>
  );
}

/** The data columns of the Flows table; the per-row buttons are rendered by the table. */
export const flowColumns = helper.columns([
  helper.display({
    id: 'name',
    header: 'Flow',
    cell: ({ row }) => (
      <div>
        <strong>{row.original.flow.name}</strong>
        {row.original.flow.description !== '' && (
          <div className="muted cell-note">{row.original.flow.description}</div>
        )}
      </div>
    ),
  }),
  helper.display({
    id: 'route',
    header: 'Source → target',
    cell: ({ row }) => (
      <div className="cell-route">
        <span>
          {row.original.sourceName}{' '}
          <code title={JSON.stringify(row.original.flow.sourceSelector)}>
            {settingsText(row.original.flow.sourceSelector)}
          </code>
        </span>
        <span aria-hidden="true">→</span>
        <span className="visually-hidden">to</span>
        <span>
          {row.original.targetName}{' '}
          <code title={JSON.stringify(row.original.flow.targetOperation)}>
            {settingsText(row.original.flow.targetOperation)}
          </code>
        </span>
      </div>
    ),
  }),
  helper.display({
    id: 'schedule',
    header: 'Schedule',
    cell: ({ row }) => scheduleText(row.original.flow.schedule),
  }),
  helper.display({
    id: 'state',
    header: 'State',
    cell: ({ row }) => (
      // "Paused" is the operator's word for a disabled schedule (the Pause / Resume buttons).
      <span className={`badge ${row.original.flow.enabled ? '' : 'badge-warning'}`}>
        {row.original.flow.enabled ? `Enabled · ${STATE_LABELS[row.original.flow.state]}` : 'Paused'}
      </span>
    ),
  }),
  helper.display({
    id: 'lastRun',
    header: 'Last run',
    cell: ({ row }) => <LastRunCell row={row.original} />,
  }),
  helper.display({
    id: 'freshness',
    header: 'Freshness',
    cell: ({ row }) => {
      const { state, text, detail } = row.original.freshness;
      const open = row.original.openExceptions;
      const exceptions =
        open === 0 ? null : (
          <a className="cell-note exception-link" href="#/exceptions">
            {open} open {open === 1 ? 'exception' : 'exceptions'}
          </a>
        );
      if (open > 0 && state !== 'breached')
        return (
          <div title={`Needs attention: ${open} open exceptions`}>
            <span className="badge badge-warning">Needs attention</span>
            <div>{exceptions}</div>
            {state === 'ok' && <div className="muted cell-note">{detail}</div>}
          </div>
        );
      if (state === 'none') return <span className="muted">{text}</span>;
      return (
        <div title={text}>
          <span className={`badge ${state === 'breached' ? 'badge-warning' : 'badge-passed'}`}>
            {state === 'breached' ? 'Breached' : 'Fresh'}
          </span>
          <div className="muted cell-note">{detail}</div>
          {exceptions !== null && <div>{exceptions}</div>}
        </div>
      );
    },
  }),
]);
