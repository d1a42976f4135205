import { flowHandlers } from './flow-handlers.js';
import { mappingHandlers } from './mapping-handlers.js';
import { runHandlers } from './run-handlers.js';
import type { Services } from '../services.js';

/** The sync engine's operations: flows, versioned mappings, runs and lineage (flow, mapping and run handlers beside this file). */
export function engineHandlers(services: Services) {
  return {
    ...flowHandlers(services),
    ...mappingHandlers(services),
    ...runHandlers(services),
  };
}
