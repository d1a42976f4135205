import { useEffect, useState } from 'react';
import { Button } from 'react-aria-components';
import { useStore } from 'zustand';
import type { Flow } from '../../../shared/domain/flow.js';
import { useOps } from '../../app/client-context.js';
import { useCan } from '../../app/use-can.js';
import { Alert } from '../../components/Alert.js';
import { FlowOutages } from '../../components/BreakerNotices.js';
import { connectionsStore } from '../../stores/connections-store.js';
import { exceptionsStore } from '../../stores/exceptions-store.js';
import { flowsStore } from '../../stores/flows-store.js';
import { runsStore } from '../../stores/runs-store.js';
import { BackfillDialog } from './BackfillDialog.js';
import { buildFlowRows } from './flow-rows.js';
import { runFlowCommand, type FlowCommand } from './flow-commands.js';
import { FlowFormDialog } from './FlowFormDialog.js';
import { FlowRunsPanel } from './FlowRunsPanel.js';
import { FlowsTable } from './FlowsTable.js';

type OpenDialog =
  | { readonly kind: 'none' }
  | { readonly kind: 'form'; readonly flow: Flow | null }
  | { readonly kind: 'backfill'; readonly flow: Flow };

/** Flows: what moves where, how often, how it went last time, and what is running now (live). */
export function FlowsPage() {
  const ops = useOps();
  const flows = useStore(flowsStore);
  const connections = useStore(connectionsStore, (state) => state.items);
  const connectionsLoaded = useStore(connectionsStore, (state) => state.loaded);
  const openFlowId = useStore(runsStore, (state) => state.flowId);
  // Loaded by the console frame for the navigation badge and kept current by live events.
  const exceptionCounts = useStore(exceptionsStore, (state) => state.counts);
  const canCreate = useCan('flows.create');
  const allowed = {
    runNow: useCan('flows.runNow'),
    setEnabled: useCan('flows.setEnabled'),
    backfill: useCan('flows.backfill'),
    edit: useCan('flows.update'),
    controlRun: useCan('runs.pause'),
  };
  const [dialog, setDialog] = useState<OpenDialog>({ kind: 'none' });
  const [message, setMessage] = useState<string | null>(null);
  const close = () => setDialog({ kind: 'none' });

  useEffect(() => {
    void flowsStore.getState().load(ops);
    void connectionsStore.getState().load(ops);
  }, [ops]);

  async function command(next: FlowCommand) {
    setMessage(null);
    setMessage(await runFlowCommand(ops, next));
  }

  const rows = buildFlowRows(flows, connectionsLoaded ? connections : null, new Date(), exceptionCounts);
  const engine = flows.engine;
  const openFlow = flows.flows.find((flow) => flow.id === openFlowId) ?? null;

  return (
    <section className="page" aria-labelledby="flows-heading">
      <header className="page-header">
        <h1 id="flows-heading">Flows</h1>
        {canCreate && (
          <Button className="button button-primary" onPress={() => setDialog({ kind: 'form', flow: null })}>
            New flow
          </Button>
        )}
      </header>
      <p className="page-lead">
        Each flow moves one kind of record from a source to a target through a mapping. Counts and progress
        update live.
        {engine !== null && (
          <span className="engine-status">
            {' '}
            Engine {engine.state} · {engine.activeRuns} active · {engine.queuedRuns} queued.
          </span>
        )}
      </p>
      {engine !== null && engine.state !== 'running' && (
        <Alert tone="warning">The sync engine is {engine.state}; runs resume when it is back.</Alert>
      )}
      <FlowOutages flows={flows.flows} connections={connections} />
      {message !== null && <Alert tone="error">{message}</Alert>}
      {flows.error !== null && <Alert tone="error">Could not load the flows: {flows.error}</Alert>}
      {flows.loaded && rows.length === 0 && <p className="empty">No flows yet.</p>}
      {!flows.loaded && flows.loading && <p className="empty">Loading flows…</p>}
      {rows.length > 0 && (
        <FlowsTable
          rows={rows}
          allowed={allowed}
          openFlowId={openFlowId}
          onCommand={(next) => void command(next)}
          onBackfill={(flow) => setDialog({ kind: 'backfill', flow })}
          onEdit={(flow) => setDialog({ kind: 'form', flow })}
          onShowRuns={(flow) => void runsStore.getState().openFlow(ops, flow.id)}
        />
      )}
      {openFlow !== null && <FlowRunsPanel flow={openFlow} liveFailures={flows.liveFailures} />}
      {dialog.kind === 'form' && <FlowFormDialog flow={dialog.flow} onClose={close} />}
      {dialog.kind === 'backfill' && <BackfillDialog flow={dialog.flow} onClose={close} />}
    </section>
  );
}
