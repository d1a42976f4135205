import { useEffect } from 'react';
import type { OscBridge } from '../../shared/contract/bridge.js';
import type { LiveEvent } from '../../shared/contract/events.js';
import { auditStore } from '../stores/audit-store.js';
import { breakersStore } from '../stores/breakers-store.js';
import { connectionsStore } from '../stores/connections-store.js';
import { dashboardStore } from '../stores/dashboard-store.js';
import { exceptionFixesStore } from '../stores/exception-fixes-store.js';
import { exceptionsStore } from '../stores/exceptions-store.js';
import { flowsStore, isFinished } from '../stores/flows-store.js';
import { holdsStore } from '../stores/holds-store.js';
import { mappingsStore } from '../stores/mappings-store.js';
import { outagesStore } from '../stores/outages-store.js';
import { reconcileStore } from '../stores/reconcile-store.js';
import { showNotes } from './notifications.js';
import { reconcileNote } from './reconcile-notifications.js';
import { runsStore } from '../stores/runs-store.js';
import { sessionStore } from '../stores/session-store.js';

/** Routes one live event to the store it concerns. */
export function handleLiveEvent(client: OscBridge, event: LiveEvent): void {
  const ops = client.operations;
  switch (event.type) {
    case 'audit.appended':
      auditStore.getState().onAppended(event);
      return;
    case 'audit.verifying':
      auditStore.getState().onVerifyProgress(event);
      return;
    case 'connections.changed':
      // Another console (or this one) changed a connection: refresh a list that is on screen.
      if (connectionsStore.getState().loaded) void connectionsStore.getState().load(ops);
      if (event.change === 'breaker' && breakersStore.getState().loaded)
        void breakersStore.getState().load(ops);
      // A breaker moved: the outage banner and page read the overview again (throttled).
      outagesStore.getState().onSignal(ops, event);
      return;
    case 'session.locked':
      sessionStore.getState().markLocked(event.reason);
      return;
    case 'session.unlocked':
      // Unlocked in another tab: ask for the status (operator, roles) rather than guess it; the
      // session watch applies the answer, which leaves the lock screen.
      if (sessionStore.getState().phase === 'locked') void ops['session.status']({});
      return;
    case 'session.ended':
      sessionStore.getState().markSignedOut(event.reason);
      return;
    case 'flows.changed':
      flowsStore.getState().onFlowChanged(ops, event);
      dashboardStore.getState().onSignal(ops);
      return;
    case 'mappings.changed':
      mappingsStore.getState().onChanged(ops, event);
      // Approving or activating a mapping version moves a map-this-code fix along.
      exceptionFixesStore.getState().onChanged(ops);
      return;
    case 'runs.progress':
      flowsStore.getState().onProgress(ops, event.progress);
      runsStore.getState().onProgress(ops, event.progress, isFinished(event.progress.status));
      // An outbox drain is a run: its progress bar moves with it.
      outagesStore.getState().onRunProgress(ops, event.progress.runId);
      // The dashboard's rows move with their runs (batched there).
      dashboardStore.getState().onProgress(ops, event.progress);
      return;
    case 'runs.failure':
      flowsStore.getState().onFailure(event);
      return;
    case 'flows.freshness':
      flowsStore.getState().onFreshness(event);
      dashboardStore.getState().onSignal(ops);
      return;
    case 'engine.status':
      flowsStore.getState().onEngineStatus(event);
      return;
    case 'exceptions.changed':
      exceptionsStore.getState().onChanged(ops, event);
      exceptionFixesStore.getState().onChanged(ops);
      dashboardStore.getState().onSignal(ops);
      return;
    case 'outages.changed':
      outagesStore.getState().onSignal(ops, event);
      dashboardStore.getState().onSignal(ops);
      return;
    case 'holds.changed':
      holdsStore.getState().onChanged(ops);
      // The banner counts held writes beside the outbox's waiting ones.
      outagesStore.getState().onSignal(ops, event);
      dashboardStore.getState().onSignal(ops);
      return;
    case 'reconcile.changed': {
      reconcileStore.getState().onChanged(ops, event);
      dashboardStore.getState().onSignal(ops);
      // New differences raise a desktop notification (issue 12, item 5), when allowed.
      const name =
        reconcileStore.getState().statuses.find((status) => status.flowId === event.flowId)?.flowName ??
        dashboardStore.getState().overview?.flows.find((flow) => flow.flowId === event.flowId)?.name;
      const note = reconcileNote(event, name);
      if (note !== null) showNotes([note]);
      return;
    }
  }
}

/** Listens to the live-event stream for as long as the app is mounted. */
export function useLiveEvents(client: OscBridge): void {
  useEffect(() => client.onEvent((event) => handleLiveEvent(client, event)), [client]);
}
