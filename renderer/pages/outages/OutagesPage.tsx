import { useEffect, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import { useOps } from '../../app/client-context.js';
import { useCan } from '../../app/use-can.js';
import { Alert } from '../../components/Alert.js';
import { outagesStore } from '../../stores/outages-store.js';
import { ConnectionOutageCard } from './ConnectionOutageCard.js';
import { fallbackChoices } from './fallback-choices.js';
import { FallbackSection } from './FallbackSection.js';
import { NotificationsToggle } from './NotificationsToggle.js';
import { OutboxSection } from './OutboxSection.js';
import { ProcedureView } from './ProcedureView.js';

/**
 * Outage operations (issue 11): each connection's breaker and degraded mode, the outbox per flow and
 * its replay, manual fallback entries, and the printable downtime procedure. Everyone sees the state;
 * switching, payloads and entries are for the roles the contract names (the server checks each call).
 */
export function OutagesPage() {
  const ops = useOps();
  const { overview, error, procedure, procedureError } = useStore(outagesStore);
  const canSwitch = useCan('outages.degrade');
  const [now, setNow] = useState(() => new Date());

  useEffect(() => {
    void outagesStore.getState().load(ops);
    const clock = setInterval(() => setNow(new Date()), 15_000);
    return () => clearInterval(clock);
  }, [ops]);

  useEffect(() => {
    // Every new overview: the procedure's exposure follows it.
    if (overview === null) return;
    void outagesStore.getState().loadProcedure(ops);
  }, [ops, overview]);

  const connectionNames = useMemo(
    () => new Map((overview?.connections ?? []).map((view) => [view.connectionId, view.name])),
    [overview],
  );
  const { flows, preferredFlowId } = useMemo(() => fallbackChoices(overview?.connections ?? []), [overview]);

  return (
    <section className="page outages-page" aria-labelledby="outages-heading">
      <header className="page-header">
        <h1 id="outages-heading">Outages</h1>
        <NotificationsToggle />
      </header>
      <p className="page-lead">
        When a system is down, writes wait in the outbox and are sent in order once it is back. Switch a
        connection to degraded mode for planned downtime; enter transactions by hand while a source is down.
      </p>
      {error !== null && <Alert tone="error">Could not read the outage state: {error}</Alert>}
      {overview !== null && (
        <>
          <section className="outages-section" aria-labelledby="outage-connections-heading">
            <h2 id="outage-connections-heading">Connections</h2>
            {overview.connections.length === 0 && <p className="empty">No connection yet.</p>}
            {overview.connections.map((view) => (
              <ConnectionOutageCard key={view.connectionId} view={view} canSwitch={canSwitch} now={now} />
            ))}
          </section>
          <OutboxSection
            outbox={overview.outbox}
            connectionNames={connectionNames}
            now={now}
            refreshKey={overview}
          />
          <FallbackSection flows={flows} preferredFlowId={preferredFlowId} refreshKey={overview} />
        </>
      )}
      <ProcedureView procedure={procedure} error={procedureError} now={now} />
    </section>
  );
}
