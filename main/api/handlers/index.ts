import type { HandlerMap } from '../handler-types.js';
import type { Services } from '../services.js';
import { auditHandlers } from './audit-handlers.js';
import { breakerHandlers } from './breaker-handlers.js';
import { checkpointHandlers } from './checkpoint-handlers.js';
import { connectionHandlers } from './connections-handlers.js';
import { dashboardHandlers } from './dashboard-handlers.js';
import { engineHandlers } from './engine-handlers.js';
import { exceptionFixHandlers } from './exception-fix-handlers.js';
import { exceptionHandlers } from './exception-handlers.js';
import { fallbackHandlers } from './fallback-handlers.js';
import { holdHandlers } from './hold-handlers.js';
import { operatorHandlers } from './operators-handlers.js';
import { reconcileHandlers } from './reconcile-handlers.js';
import { retentionHandlers } from './retention-handlers.js';
import { outageHandlers } from './outage-handlers.js';
import { serviceHandlers } from './service-handlers.js';
import { sessionHandlers } from './session-handlers.js';
import { shadowHandlers } from './shadow-handlers.js';
import { witnessHandlers } from './witness-handlers.js';

/** One handler per contract operation; `satisfies` makes a missing or extra one a type error. */
export function createHandlers(services: Services): HandlerMap {
  return {
    ...sessionHandlers(services),
    ...operatorHandlers(services),
    ...connectionHandlers(services),
    ...auditHandlers(services),
    ...checkpointHandlers(services),
    ...engineHandlers(services),
    ...serviceHandlers(services),
    ...exceptionHandlers(services),
    ...exceptionFixHandlers(services),
    ...breakerHandlers(services),
    ...outageHandlers(services),
    ...fallbackHandlers(services),
    ...holdHandlers(services),
    ...dashboardHandlers(services),
    ...reconcileHandlers(services),
    ...shadowHandlers(services),
    ...retentionHandlers(services),
    ...witnessHandlers(services),
  } satisfies HandlerMap;
}
