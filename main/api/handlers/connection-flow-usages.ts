// Lives with the engine's store since the engine's breaker probes run the same Test connection.
export { flowUsagesOf } from '../../engine/store/flow-usages.js';
