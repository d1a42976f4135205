import { flowHandlers } from '../../engine/handlers/flow-handlers.js';
import { mappingHandlers } from '../../engine/handlers/mapping-handlers.js';
import { runHandlers } from '../../engine/handlers/run-handlers.js';
import type { Services } from '../services.js';

/** The sync engine's operations: flows, versioned mappings, runs and lineage (main/engine/handlers/). */
export function engineHandlers(services: Services) {
  return {
    ...flowHandlers(services),
    ...mappingHandlers(services),
    ...runHandlers(services),
  };
}
