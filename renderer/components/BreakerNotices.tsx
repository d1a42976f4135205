import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { Connection } from '../../shared/domain/connection.js';
import type { Flow } from '../../shared/domain/flow.js';
import { useOps } from '../app/client-context.js';
import { breakersStore } from '../stores/breakers-store.js';
import { Alert } from './Alert.js';
import { downBreakers, downSinceText, waitingText } from './breaker-text.js';

/** The breakers that are open now, loaded on first show, with a clock for "next check in …". */
function useDownBreakers() {
  const ops = useOps();
  const items = useStore(breakersStore, (state) => state.items);
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    void breakersStore.getState().load(ops);
  }, [ops]);
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 5000);
    return () => clearInterval(timer);
  }, []);
  return { down: downBreakers(items), now };
}

const nameOf = (connections: readonly Connection[], id: string) =>
  connections.find((connection) => connection.id === id)?.name ?? id;

/** Connections page: one line per connection whose breaker is open. */
export function ConnectionOutages({ connections }: { readonly connections: readonly Connection[] }) {
  const { down, now } = useDownBreakers();
  if (down.length === 0) return null;
  return (
    <Alert tone="warning">
      {down.map((view) => (
        <span key={view.connectionId} className="breaker-notice">
          {nameOf(connections, view.connectionId)}: {downSinceText(view, now)}.{' '}
        </span>
      ))}
      Runs that use them wait and go on by themselves when they answer again.
    </Alert>
  );
}

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
