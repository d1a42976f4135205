import { useEffect } from 'react';
import { useStore } from 'zustand';
import type { Connection } from '../../shared/domain/connection.js';
import type { Flow } from '../../shared/domain/flow.js';
import { useOps } from '../app/client-context.js';
import { breakersStore } from '../stores/breakers-store.js';
import { Alert } from './Alert.js';
import { downBreakers, waitingText } from './breaker-text.js';

/**
 * The breakers that are open now, loaded on first show. Which connection is down and when it is
 * checked next is the outage banner's (on every page); the Flows page adds which flows wait.
 */
function useDownBreakers() {
  const ops = useOps();
  const items = useStore(breakersStore, (state) => state.items);
  useEffect(() => {
    void breakersStore.getState().load(ops);
  }, [ops]);
  return { down: downBreakers(items) };
}

const nameOf = (connections: readonly Connection[], id: string) =>
  connections.find((connection) => connection.id === id)?.name ?? id;

/** Flows page: the flows that wait for a connection that is down. */
export function FlowOutages({
  flows,
  connections,
}: {
  readonly flows: readonly Flow[];
  readonly connections: readonly Connection[];
}) {
  const { down } = useDownBreakers();
  const waiting = flows.flatMap((flow) => {
    const view = down.find(
      (entry) =>
        entry.connectionId === flow.sourceConnectionId || entry.connectionId === flow.targetConnectionId,
    );
    return view === undefined ? [] : [{ flow, view }];
  });
  if (waiting.length === 0) return null;
  return (
    <Alert tone="warning">
      {waiting.map(({ flow, view }) => (
        <span key={flow.id} className="breaker-notice">
          {flow.name} — {waitingText(nameOf(connections, view.connectionId), view)}.{' '}
        </span>
      ))}
    </Alert>
  );
}
