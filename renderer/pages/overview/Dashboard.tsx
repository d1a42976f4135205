import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { useOps } from '../../app/client-context.js';
import { Alert } from '../../components/Alert.js';
import { dashboardStore } from '../../stores/dashboard-store.js';
import { DashboardRow } from './DashboardRow.js';
import '../../styles/dashboard.css';

/** Freshness colours move with the clock between two overviews. */
const CLOCK_MS = 15_000;

/**
 * The dashboard (issue 12, item 4): every flow in one table, fed by `dashboard.overview` and kept live
 * by run progress events (dashboard-store.ts batches them).
 */
export function Dashboard() {
  const ops = useOps();
  const { overview, reconcile, error, progress, live } = useStore(dashboardStore);
  const [now, setNow] = useState(() => new Date());

  useEffect(() => {
    void dashboardStore.getState().load(ops);
    const clock = setInterval(() => setNow(new Date()), CLOCK_MS);
    return () => clearInterval(clock);
  }, [ops]);

  return (
    <section className="panel dashboard" aria-labelledby="dashboard-heading">
      <h2 id="dashboard-heading">Flows at a glance</h2>
      {error !== null && <Alert tone="error">Could not read the dashboard: {error}</Alert>}
      {overview !== null && overview.flows.length === 0 && <p className="muted">No flows yet.</p>}
      {overview !== null && overview.flows.length > 0 && (
        <div className="table-scroll">
          <table className="data-table dashboard-table">
            <thead>
              <tr>
                <th scope="col">Flow</th>
                <th scope="col">Last run</th>
                <th scope="col">Freshness</th>
                <th scope="col">Throughput</th>
                <th scope="col">Failure rate</th>
                <th scope="col">Open exceptions</th>
                <th scope="col">Outbox</th>
                <th scope="col">Reconciliation</th>
                <th scope="col">Holds</th>
              </tr>
            </thead>
            <tbody>
              {overview.flows.map((flow) => (
                <DashboardRow
                  key={flow.flowId}
                  flow={flow}
                  progress={progress[flow.flowId]}
                  live={live[flow.flowId]}
                  reconcile={reconcile[flow.flowId]}
                  bucketMinutes={overview.buckets.minutes}
                  now={now}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
