import { useEffect, useState } from 'react';
import { Button } from 'react-aria-components';
import { useStore } from 'zustand';
import {
  RECONCILE_DIFFERENCE_LABELS,
  type ReconcileReport,
  type ReconcileStatus,
  type ReconcileTotals,
} from '../../../shared/domain/flow-reconcile.js';
import { useOps } from '../../app/client-context.js';
import { useCan } from '../../app/use-can.js';
import { Alert } from '../../components/Alert.js';
import { reconcileStore } from '../../stores/reconcile-store.js';

/**
 * Reconciliation (issue 12): per flow that reconciles, when it was last checked, how many periods
 * are in balance and how many differences are open; a flow's report shows each period's Odoo,
 * console and source totals and the typed differences, each an exception in the inbox.
 */
export function ReconcilePage() {
  const ops = useOps();
  const { statuses, report, running, error } = useStore(reconcileStore);
  const canRun = useCan('reconcile.run');
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    void reconcileStore.getState().load(ops);
  }, [ops]);

  async function runNow(status: ReconcileStatus) {
    setNotice(null);
    const refused = await reconcileStore.getState().runNow(ops, status.flowId);
    setNotice(refused);
  }

  return (
    <section className="page reconcile-page" aria-labelledby="reconcile-heading">
      <header className="page-header">
        <h1 id="reconcile-heading">Reconciliation</h1>
      </header>
      <p className="page-lead">
        Per period, Odoo&apos;s counts and amounts against what each flow wrote and what the source holds. A
        period that differs is checked day by day; each difference is an exception in the inbox.
      </p>
      {error !== null && <Alert tone="error">Could not read the reconciliation: {error}</Alert>}
      {notice !== null && <Alert tone="error">{notice}</Alert>}
      {statuses.length === 0 ? (
        <p className="empty">No flow reconciles yet: add reconciliation settings to a flow.</p>
      ) : (
        <table className="table" aria-label="Reconciliation status per flow">
          <thead>
            <tr>
              <th scope="col">Flow</th>
              <th scope="col">Last checked</th>
              <th scope="col">Periods in balance</th>
              <th scope="col">Periods differing</th>
              <th scope="col">Open differences</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {statuses.map((status) => (
              <tr key={status.flowId}>
                <th scope="row">{status.flowName}</th>
                <td>
                  {status.lastCheckedAt === null ? 'never' : new Date(status.lastCheckedAt).toLocaleString()}
                </td>
                <td>{status.periodsBalanced}</td>
                <td>{status.periodsDiffering}</td>
                <td>{status.openDifferences}</td>
                <td className="row-actions">
                  <Button
                    className="button button-quiet"
                    onPress={() => void reconcileStore.getState().show(ops, status.flowId)}
                  >
                    Report
                  </Button>
                  {canRun && (
                    <Button
                      className="button"
                      isDisabled={running.includes(status.flowId)}
                      onPress={() => void runNow(status)}
                    >
                      {running.includes(status.flowId) ? 'Reconciling…' : 'Reconcile now'}
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {report !== null && <ReportView report={report} />}
    </section>
  );
}

function totals(value: ReconcileTotals): string {
  return value.amount === null ? String(value.count) : `${value.count} · ${value.amount.toFixed(2)}`;
}

export function ReportView({ report }: { readonly report: ReconcileReport }) {
  const run = report.run;
  return (
    <section className="reconcile-report" aria-labelledby="reconcile-report-heading">
      <h2 id="reconcile-report-heading">{report.flowName}</h2>
      {run === null ? (
        <p className="empty">Not reconciled yet.</p>
      ) : (
        <p>
          Last reconciliation {new Date(run.startedAt).toLocaleString()} ({run.trigger}, {run.odooCalls} Odoo
          calls):{' '}
          {run.state === 'failed'
            ? `failed: ${run.error ?? ''}`
            : `${run.periodsBalanced} of ${run.periods} periods in balance, ${run.differencesFound} differences (${run.differencesNew} new)`}
          .
        </p>
      )}
      {report.periods.length > 0 && (
        <table className="table" aria-label="Periods">
          <thead>
            <tr>
              <th scope="col">Period</th>
              <th scope="col">Odoo (count · amount)</th>
              <th scope="col">Console</th>
              <th scope="col">Source</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {report.periods.map((period) => (
              <tr key={period.period}>
                <th scope="row">{period.period}</th>
                <td>{totals(period.odoo)}</td>
                <td>{totals(period.console)}</td>
                <td>{period.source === null ? '—' : period.source.count}</td>
                <td>{period.balanced ? 'In balance' : `${period.differences} differences`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {report.differences.length > 0 && (
        <table className="table" aria-label="Differences">
          <thead>
            <tr>
              <th scope="col">Type</th>
              <th scope="col">Day</th>
              <th scope="col">Record</th>
              <th scope="col">Expected</th>
              <th scope="col">Found</th>
              <th scope="col">Exception</th>
            </tr>
          </thead>
          <tbody>
            {report.differences.map((difference) => (
              <tr key={difference.id} title={difference.message}>
                <th scope="row">{RECONCILE_DIFFERENCE_LABELS[difference.type]}</th>
                <td>{difference.day}</td>
                <td>
                  {difference.targetKey ?? difference.sourceId ?? ''}
                  {difference.odooId === null ? '' : ` (Odoo ${difference.odooId})`}
                </td>
                <td>{difference.expected ?? '—'}</td>
                <td>{difference.found ?? '—'}</td>
                <td>{difference.exceptionId === null ? '—' : difference.open ? 'Open' : 'Settled'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
