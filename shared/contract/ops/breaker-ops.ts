import { operation, returns } from '../operation.js';
import type { ConnectionBreakerView } from '../../domain/connection-breaker.js';
import { EVERY_ROLE, empty } from './common.js';

/** The connections' circuit breakers (issue 11, item 1): read-only, every role sees an outage. */
export const breakerOperations = {
  'connections.breakers': operation({
    summary:
      "Every connection's circuit breaker that ever counted a failure: state, since, last error, next probe, recent transitions",
    input: empty,
    output: returns<readonly ConnectionBreakerView[]>(),
    access: EVERY_ROLE,
    kind: 'read',
  }),
};
