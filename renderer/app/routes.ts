import { useSyncExternalStore } from 'react';
import type { OperationName } from '../../shared/contract/operations.js';
import type { Role } from '../../shared/contract/roles.js';
import { canCall } from './use-can.js';

export const ROUTES = [
  'overview',
  'exceptions',
  'connections',
  'outages',
  'reconcile',
  'flows',
  'mappings',
  'lineage',
  'audit',
  'audit-store',
  'operators',
  'audit-report',
] as const;
export type Route = (typeof ROUTES)[number];

export interface RouteInfo {
  readonly route: Route;
  readonly label: string;
  /** The operation a page cannot work without: its link shows only to roles that may call it. */
  readonly needs: OperationName;
}

export const NAVIGATION: readonly RouteInfo[] = [
  // The overview first: what needs attention now. Then connections: a fresh console has none, and
  // every flow needs two.
  { route: 'overview', label: 'Overview', needs: 'connections.list' },
  // Records that could not go through: what finance users come to the console for.
  { route: 'exceptions', label: 'Exceptions', needs: 'exceptions.list' },
  { route: 'connections', label: 'Connections', needs: 'connections.list' },
  // Breakers, degraded mode, the outbox, manual fallback and the downtime procedure (issue 11).
  { route: 'outages', label: 'Outages', needs: 'outages.overview' },
  // Odoo against what each flow wrote, per period, and the typed differences (issue 12).
  { route: 'reconcile', label: 'Reconciliation', needs: 'reconcile.status' },
  { route: 'flows', label: 'Flows', needs: 'flows.list' },
  { route: 'mappings', label: 'Mappings', needs: 'mappings.list' },
  { route: 'lineage', label: 'Lineage', needs: 'lineage.bySource' },
  { route: 'audit', label: 'Audit log', needs: 'audit.list' },
  // Signed checkpoints and the public key; the witness, retention and backups for administrators.
  { route: 'audit-store', label: 'Audit store', needs: 'audit.checkpoints' },
  { route: 'operators', label: 'Operators', needs: 'operators.list' },
];

/** Pages reached by a link from another page, never from the navigation (still checked by role). */
export const LINKED_ONLY: readonly RouteInfo[] = [
  // The printable audit report of a period: opened from the Audit page, printed or saved as PDF.
  { route: 'audit-report', label: 'Audit report', needs: 'audit.report' },
];

export function visibleRoutes(roles: readonly Role[]): readonly RouteInfo[] {
  return NAVIGATION.filter((info) => canCall(roles, info.needs));
}

/** '#/audit' → 'audit', '#/lineage?source=x' → 'lineage'; anything unknown → null. Hash routes need no server routes in either transport. */
export function routeFromHash(hash: string): Route | null {
  // A page may take parameters after '?' (the inbox links a record's lineage); the route is before it.
  const name = hash.replace(/^#\/?/, '').split('?')[0] ?? '';
  return ROUTES.find((route) => route === name) ?? null;
}

/** Where an operator lands: finance users resolve exceptions, everyone else starts at the overview. */
export function landingRoute(roles: readonly Role[]): Route | null {
  const allowed = visibleRoutes(roles);
  const home = roles.includes('finance') ? 'exceptions' : 'overview';
  return allowed.find((info) => info.route === home)?.route ?? allowed[0]?.route ?? null;
}

/** The page to show: the one asked for when the roles allow it, otherwise the operator's landing page. */
export function resolveRoute(asked: Route | null, roles: readonly Role[]): Route | null {
  const allowed = [...visibleRoutes(roles), ...LINKED_ONLY.filter((info) => canCall(roles, info.needs))];
  return allowed.find((info) => info.route === asked)?.route ?? landingRoute(roles);
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function useHashRoute(): Route | null {
  return useSyncExternalStore(subscribe, () => routeFromHash(window.location.hash));
}
