import { useEffect } from 'react';
import type { OscBridge } from '../../shared/contract/bridge.js';
import type { LiveEvent } from '../../shared/contract/events.js';
import { auditStore } from '../stores/audit-store.js';
import { connectionsStore } from '../stores/connections-store.js';
import { sessionStore } from '../stores/session-store.js';

/** Routes one live event to the store it concerns. */
export function handleLiveEvent(client: OscBridge, event: LiveEvent): void {
  switch (event.type) {
    case 'audit.appended':
      auditStore.getState().onAppended(event);
      return;
    case 'connections.changed':
      // Another console (or this one) changed a connection: refresh a list that is on screen.
      if (connectionsStore.getState().loaded) void connectionsStore.getState().load(client.operations);
      return;
    case 'session.locked':
      sessionStore.getState().markLocked(event.reason);
      return;
    case 'session.ended':
      sessionStore.getState().markSignedOut(event.reason);
      return;
  }
}

/** Listens to the live-event stream for as long as the app is mounted. */
export function useLiveEvents(client: OscBridge): void {
  useEffect(() => client.onEvent((event) => handleLiveEvent(client, event)), [client]);
}
