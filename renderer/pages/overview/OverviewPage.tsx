import { useEffect } from 'react';
import { useStore } from 'zustand';
import { useOps } from '../../app/client-context.js';
import { useCan } from '../../app/use-can.js';
import { Alert } from '../../components/Alert.js';
import { connectionsStore } from '../../stores/connections-store.js';
import { flowsStore } from '../../stores/flows-store.js';
import { Dashboard } from './Dashboard.js';
import { OverviewView } from './OverviewView.js';
import { ServicesSection } from './ServicesSection.js';

/**
 * The landing page and dashboard (issue 12): every flow's state, freshness and live progress first,
 * then what needs someone's attention (credentials running out, failing flows) and the services.
 */
export function OverviewPage() {
  const ops = useOps();
  const connections = useStore(connectionsStore);
  const flows = useStore(flowsStore);
  const canSeeFlows = useCan('flows.list');

  useEffect(() => {
    void connectionsStore.getState().load(ops);
    if (canSeeFlows) void flowsStore.getState().load(ops);
  }, [ops, canSeeFlows]);

  return (
    <section className="page" aria-labelledby="overview-heading">
      <header className="page-header">
        <h1 id="overview-heading">Overview</h1>
      </header>
      <Dashboard />
      {connections.error !== null && (
        <Alert tone="error">Could not load the connections: {connections.error}</Alert>
      )}
      <OverviewView
        connections={connections.items}
        flows={canSeeFlows ? { flows: flows.flows, lastRuns: flows.lastRuns } : null}
        now={new Date()}
      />
      <ServicesSection />
    </section>
  );
}
