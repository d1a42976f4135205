import { useEffect } from 'react';
import { Button } from 'react-aria-components';
import { useStore } from 'zustand';
import type { Flow } from '../../../shared/domain/flow.js';
import { useOps } from '../../app/client-context.js';
import { useCan } from '../../app/use-can.js';
import { absoluteTime } from '../../app/format-time.js';
import { Alert } from '../../components/Alert.js';
import type { RunFailureEvent } from '../../stores/flows-store.js';
import { runsStore } from '../../stores/runs-store.js';
import {
  countsText,
  durationText,
  RUN_STATUS_LABELS,
  RUN_TRIGGER_LABELS,
  runStatusTone,
} from './flow-display.js';
import { RunFailuresDialog } from './RunFailuresDialog.js';

interface FlowRunsPanelProps {
  readonly flow: Flow;
  readonly liveFailures: readonly RunFailureEvent[];
}

/** Cursors are opaque and can be long: the start is shown, the whole value is in the tooltip. */
function Cursor({ value }: { readonly value: string | null }) {
  if (value === null) return <span className="muted">none</span>;
  return (
    <code className="cell-cursor" title={value}>
      {value.length > 48 ? `${value.slice(0, 47)}…` : value}
    </code>
  );
}

/** The recent runs of one flow: trigger, timing, counts, cursors; failed records one click away. */
export function FlowRunsPanel({ flow, liveFailures }: FlowRunsPanelProps) {
  const ops = useOps();
  const { runs, loading, error, failuresRunId } = useStore(runsStore);
  // A failed record's payloads may hold patient data: viewers see the counts, not the records.
  const canReadFailures = useCan('runs.failures');
  const failuresOfFlow = liveFailures.filter((failure) => failure.flowId === flow.id).slice(0, 10);

  // Leaving the page closes the panel, so coming back does not show a stale list.
  useEffect(() => () => runsStore.getState().closeFlow(), []);

  return (
    <section className="panel" aria-labelledby="runs-heading">
      <header className="page-header">
        <h2 id="runs-heading">Runs of {flow.name}</h2>
        <div className="row-actions">
          <Button
            className="button button-small"
            isPending={loading}
            onPress={() => void runsStore.getState().reload(ops)}
          >
            Reload runs
          </Button>
          <Button className="button button-small" onPress={() => runsStore.getState().closeFlow()}>
            Close runs
          </Button>
        </div>
      </header>
      {error !== null && <Alert tone="error">Could not load the runs: {error}</Alert>}
      {!loading && runs.length === 0 && error === null && <p className="empty">This flow has not run yet.</p>}
      {runs.length > 0 && (
        <div className="table-scroll">
          <table className="data-table runs-table">
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col">Trigger</th>
                <th scope="col">Queued</th>
                <th scope="col">Duration</th>
                <th scope="col">Counts</th>
                <th scope="col">Cursor before → after</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <tr key={run.id}>
                  <td>
                    <span className={`badge badge-${runStatusTone(run.status)}`}>
                      {RUN_STATUS_LABELS[run.status]}
                    </span>
                    {run.error !== null && <div className="field-error">{run.error}</div>}
                  </td>
                  <td>
                    {RUN_TRIGGER_LABELS[run.trigger]}
                    <div className="muted cell-note">
                      by {run.requestedBy}
                      {run.backfillFrom !== null && ` · from ${run.backfillFrom}`} · mapping v
                      {run.mappingVersion}
                    </div>
                  </td>
                  <td>
                    <time dateTime={run.queuedAt}>{absoluteTime(run.queuedAt)}</time>
                  </td>
                  <td>{durationText(run.startedAt, run.finishedAt)}</td>
                  <td className="run-counts">{countsText(run.counts)}</td>
                  <td>
                    <Cursor value={run.cursorBefore} /> → <Cursor value={run.cursorAfter} />
                  </td>
                  <td className="row-actions">
                    {run.counts.failed > 0 && canReadFailures && (
                      <Button
                        className="button button-small"
                        aria-label={`Failures of run ${run.id}`}
                        onPress={() => void runsStore.getState().openFailures(ops, run.id)}
                      >
                        Failures ({run.counts.failed})
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {failuresOfFlow.length > 0 && (
        <>
          <h3 className="panel-subheading">Failures as they happen</h3>
          <ul className="live-failures" aria-label={`Live failures of ${flow.name}`}>
            {failuresOfFlow.map((failure, index) => (
              <li key={`${failure.runId}-${failure.sourceId}-${index}`}>
                <span className="badge badge-failed">{failure.stage}</span> <code>{failure.sourceId}</code>:{' '}
                {failure.errorCode}
              </li>
            ))}
          </ul>
        </>
      )}
      {failuresRunId !== null && <RunFailuresDialog runId={failuresRunId} />}
    </section>
  );
}
