import { lazy, Suspense, useEffect } from 'react';
import { Button } from 'react-aria-components';
import { useStore } from 'zustand';
import { LockPage } from '../pages/lock/LockPage.js';
import { SetupPage } from '../pages/setup/SetupPage.js';
import { SignInPage } from '../pages/sign-in/SignInPage.js';
import { auditStore } from '../stores/audit-store.js';
import { connectionsStore } from '../stores/connections-store.js';
import { exceptionFixesStore } from '../stores/exception-fixes-store.js';
import { exceptionsStore } from '../stores/exceptions-store.js';
import { flowsStore } from '../stores/flows-store.js';
import { mappingsStore } from '../stores/mappings-store.js';
import { operatorsStore } from '../stores/operators-store.js';
import { runsStore } from '../stores/runs-store.js';
import { sessionStore } from '../stores/session-store.js';
import { themeStore } from '../stores/theme-store.js';
import { useClient } from './client-context.js';
import { useLiveEvents } from './use-live-events.js';

// The signed-in console (tables, dialogs) loads as its own chunk: the sign-in screen appears sooner and
// no bundle grows past what the browser parses comfortably at once.
const AppFrame = lazy(() => import('./AppFrame.js').then((module) => ({ default: module.AppFrame })));

async function askStatus(ops: ReturnType<typeof useClient>['operations']): Promise<void> {
  const result = await ops['session.status']({});
  // A successful answer reaches the session store through the session watch (main.tsx).
  if (!result.ok) sessionStore.getState().markUnreachable(result.error.message);
}

/** Shows the screen the session state calls for: setup, sign-in, lock, or the console itself. */
export function App() {
  const client = useClient();
  const phase = useStore(sessionStore, (state) => state.phase);
  const notice = useStore(sessionStore, (state) => state.notice);
  const operator = useStore(sessionStore, (state) => state.operator);
  const theme = useStore(themeStore, (state) => state.theme);
  useLiveEvents(client);

  useEffect(() => {
    void askStatus(client.operations);
  }, [client]);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  useEffect(() => {
    // What one operator loaded must not be shown to the next one who signs in on this screen.
    if (phase === 'signed-out' || phase === 'setup-required') {
      connectionsStore.getState().reset();
      auditStore.getState().reset();
      operatorsStore.getState().reset();
      flowsStore.getState().reset();
      runsStore.getState().reset();
      mappingsStore.getState().reset();
      exceptionsStore.getState().reset();
      exceptionFixesStore.getState().reset();
    }
  }, [phase]);

  switch (phase) {
    case 'starting':
      return <p className="gate-status">Connecting to the console…</p>;
    case 'unreachable':
      return (
        <main className="gate">
          <div className="gate-card">
            <h1 className="gate-title">The console is not reachable</h1>
            <p role="alert">{notice}</p>
            <Button className="button button-primary" onPress={() => void askStatus(client.operations)}>
              Try again
            </Button>
          </div>
        </main>
      );
    case 'setup-required':
      return <SetupPage />;
    case 'signed-out':
      return <SignInPage notice={notice} />;
    case 'locked':
      return <LockPage operator={operator} notice={notice} />;
    case 'active':
      return (
        <Suspense fallback={<p className="gate-status">Opening the console…</p>}>
          <AppFrame />
        </Suspense>
      );
  }
}
