import { useEffect, useState } from 'react';
import { Button } from 'react-aria-components';
import { useStore } from 'zustand';
import { ROLE_LABELS } from '../../shared/contract/roles.js';
import { Alert } from '../components/Alert.js';
import { OutageBanner } from '../components/OutageBanner.js';
import { AuditPage } from '../pages/audit/AuditPage.js';
import { AuditReportPage } from '../pages/audit/report/AuditReportPage.js';
import { AuditStorePage } from '../pages/store/AuditStorePage.js';
import { ConnectionsPage } from '../pages/connections/ConnectionsPage.js';
import { ExceptionsPage } from '../pages/exceptions/ExceptionsPage.js';
import { FlowsPage } from '../pages/flows/FlowsPage.js';
import { LineagePage } from '../pages/lineage/LineagePage.js';
import { MappingsPage } from '../pages/mappings/MappingsPage.js';
import { OperatorsPage } from '../pages/operators/OperatorsPage.js';
import { OutagesPage } from '../pages/outages/OutagesPage.js';
import { OverviewPage } from '../pages/overview/OverviewPage.js';
import { ReconcilePage } from '../pages/reconcile/ReconcilePage.js';
import { exceptionsStore, waitingCount } from '../stores/exceptions-store.js';
import { outagesStore } from '../stores/outages-store.js';
import { sessionStore } from '../stores/session-store.js';
import { themeStore } from '../stores/theme-store.js';
import { useOps } from './client-context.js';
import { watchOutageNotifications } from './notifications.js';
import { watchFreshnessNotifications } from './freshness-notifications.js';
import { dashboardStore } from '../stores/dashboard-store.js';
import { flowsStore } from '../stores/flows-store.js';
import { resolveRoute, useHashRoute, visibleRoutes, type Route } from './routes.js';
import { canCall } from './use-can.js';

const PAGES: Record<Route, () => React.JSX.Element> = {
  overview: OverviewPage,
  exceptions: ExceptionsPage,
  flows: FlowsPage,
  mappings: MappingsPage,
  lineage: LineagePage,
  connections: ConnectionsPage,
  outages: OutagesPage,
  reconcile: ReconcilePage,
  audit: AuditPage,
  'audit-store': AuditStorePage,
  operators: OperatorsPage,
  'audit-report': AuditReportPage,
};

/** The signed-in console: header (who, lock, sign out, theme), navigation, and the current page. */
export function AppFrame() {
  const ops = useOps();
  const operator = useStore(sessionStore, (state) => state.operator);
  const roles = useStore(sessionStore, (state) => state.roles);
  const theme = useStore(themeStore, (state) => state.theme);
  const [error, setError] = useState<string | null>(null);
  const route = resolveRoute(useHashRoute(), roles);
  const Page = route === null ? null : PAGES[route];
  const waiting = useStore(exceptionsStore, (state) => waitingCount(state.counts));
  const countsAllowed = canCall(roles, 'exceptions.counts');
  const outagesAllowed = canCall(roles, 'outages.overview');

  useEffect(() => {
    // The navigation badge: open exceptions, kept current by exceptions.changed events.
    if (countsAllowed) void exceptionsStore.getState().loadCounts(ops);
  }, [ops, countsAllowed]);

  useEffect(() => {
    // Desktop notifications compare each new outage overview with the one before (only if allowed).
    const stop = watchOutageNotifications(outagesStore);
    // And breached freshness objectives (issue 12): named from the dashboard when the flows page is not open.
    const stopFreshness = watchFreshnessNotifications(
      flowsStore,
      (flowId) => dashboardStore.getState().overview?.flows.find((flow) => flow.flowId === flowId)?.name,
    );
    return () => {
      stop();
      stopFreshness();
      dashboardStore.getState().reset();
      // Signing out or locking unmounts the frame: the next operator starts from a fresh overview.
      outagesStore.getState().reset();
    };
  }, []);

  async function run(call: () => ReturnType<(typeof ops)['session.lock']>) {
    setError(null);
    const result = await call();
    if (!result.ok) setError(result.error.message);
  }

  return (
    <div className="frame">
      <header className="frame-header">
        <span className="product-name">Odoo Sync Console</span>
        <div className="frame-operator" aria-label="Signed-in operator">
          <span className="operator-name">{operator?.displayName ?? ''}</span>
          <span className="operator-roles">{roles.map((role) => ROLE_LABELS[role]).join(', ')}</span>
        </div>
        <div className="frame-actions">
          <Button
            className="button button-quiet"
            onPress={() => themeStore.getState().toggle()}
            aria-label="Theme"
          >
            Theme: {theme === 'dark' ? 'dark' : 'light'}
          </Button>
          <Button className="button" onPress={() => void run(() => ops['session.lock']({}))}>
            Lock now
          </Button>
          <Button className="button" onPress={() => void run(() => ops['session.logout']({}))}>
            Sign out
          </Button>
        </div>
      </header>
      <nav className="frame-nav" aria-label="Main">
        <ul>
          {visibleRoutes(roles).map((info) => (
            <li key={info.route}>
              <a href={`#/${info.route}`} aria-current={info.route === route ? 'page' : undefined}>
                {info.label}
                {info.route === 'exceptions' && waiting > 0 && (
                  <span className="nav-count" aria-label={`${waiting} open`}>
                    {waiting}
                  </span>
                )}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main className="frame-main">
        {outagesAllowed && <OutageBanner showLink={route !== 'outages'} />}
        {error !== null && <Alert tone="error">{error}</Alert>}
        {Page === null ? <p className="empty">Your roles give access to no page yet.</p> : <Page />}
      </main>
    </div>
  );
}
