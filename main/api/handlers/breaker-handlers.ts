import { breakerViews } from '../../engine/breakers/breaker-views.js';
import type { Handler } from '../handler-types.js';
import type { Services } from '../services.js';

type BreakerHandlers = {
  readonly 'connections.breakers': Handler<'connections.breakers'>;
};

/** The connections' circuit breakers, read from the store the engine writes them to. */
export function breakerHandlers(services: Services): BreakerHandlers {
  return {
    'connections.breakers': () => breakerViews(services.store.db),
  };
}
