import type { ConnectionBreakerView } from '../../../shared/domain/connection-breaker.js';
import type {
  ConnectionOutageView,
  OutagesOverview,
  OutboxDrainView,
  OutboxFlowView,
} from '../../../shared/domain/outage.js';

export const ODOO = 'conn_odoo000001';
export const FHIR = 'conn_fhir000001';
export const FLOW = 'flow_aaaaaaaaaa';

export function breakerOf(overrides: Partial<ConnectionBreakerView> = {}): ConnectionBreakerView {
  return {
    connectionId: ODOO,
    state: 'open',
    since: '2026-01-01T03:41:00.000Z',
    lastError: 'http.503: Service Unavailable',
    failures: 3,
    nextProbeAt: '2026-01-01T03:46:00.000Z',
    transitions: [
      { from: 'closed', to: 'open', at: '2026-01-01T03:41:00.000Z', reason: 'http.503: Service Unavailable' },
    ],
    waitingFlowIds: [],
    ...overrides,
  };
}

export function connectionOf(overrides: Partial<ConnectionOutageView> = {}): ConnectionOutageView {
  return {
    connectionId: ODOO,
    name: 'Odoo finance',
    kind: 'odoo',
    breaker: breakerOf({ state: 'closed', nextProbeAt: null, transitions: [] }),
    degraded: null,
    waiting: 0,
    oldestQueuedAt: null,
    flows: [{ flowId: FLOW, name: 'Supplies to invoices', role: 'target' }],
    ...overrides,
  };
}

export function drainOf(overrides: Partial<OutboxDrainView> = {}): OutboxDrainView {
  return {
    runId: 'run_drain00001',
    status: 'running',
    sent: 120,
    total: 400,
    startedAt: '2026-01-01T05:00:00.000Z',
    perSecond: 35,
    etaSeconds: 8,
    ...overrides,
  };
}

export function outboxOf(overrides: Partial<OutboxFlowView> = {}): OutboxFlowView {
  return {
    flowId: FLOW,
    flowName: 'Supplies to invoices',
    connectionId: ODOO,
    waiting: 42,
    held: 0,
    oldestQueuedAt: '2026-01-01T03:42:00.000Z',
    drain: null,
    ...overrides,
  };
}

/** All well: Odoo up, nothing waiting. */
export function calmOverview(): OutagesOverview {
  return {
    connections: [
      connectionOf(),
      connectionOf({
        connectionId: FHIR,
        name: 'Ward FHIR',
        kind: 'fhir',
        breaker: null,
        flows: [{ flowId: FLOW, name: 'Supplies to invoices', role: 'source' }],
      }),
    ],
    outbox: [],
    exposure: { down: [], waiting: 0, held: 0, oldestQueuedAt: null },
  };
}

/** Odoo switched to degraded mode at 03:40, 42 writes waiting since 03:42. */
export function degradedOverview(): OutagesOverview {
  const calm = calmOverview();
  return {
    connections: [
      connectionOf({
        degraded: {
          connectionId: ODOO,
          reason: 'Planned upgrade',
          since: '2026-01-01T03:40:00.000Z',
          switchedBy: 'admin',
        },
        waiting: 42,
        oldestQueuedAt: '2026-01-01T03:42:00.000Z',
      }),
      ...calm.connections.slice(1),
    ],
    outbox: [outboxOf()],
    exposure: {
      down: [
        { connectionId: ODOO, name: 'Odoo finance', since: '2026-01-01T03:40:00.000Z', why: 'degraded' },
      ],
      waiting: 42,
      held: 0,
      oldestQueuedAt: '2026-01-01T03:42:00.000Z',
    },
  };
}

/** Odoo's breaker open since 03:41. */
export function breakerDownOverview(): OutagesOverview {
  const calm = calmOverview();
  return {
    connections: [
      connectionOf({ breaker: breakerOf(), waiting: 42, oldestQueuedAt: '2026-01-01T03:42:00.000Z' }),
      ...calm.connections.slice(1),
    ],
    outbox: [outboxOf()],
    exposure: {
      down: [{ connectionId: ODOO, name: 'Odoo finance', since: '2026-01-01T03:41:00.000Z', why: 'breaker' }],
      waiting: 42,
      held: 0,
      oldestQueuedAt: '2026-01-01T03:42:00.000Z',
    },
  };
}
