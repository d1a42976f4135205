import type { DashboardOverview } from '../../domain/dashboard.js';
import { operation, returns } from '../operation.js';
import { EVERY_ROLE, empty } from './common.js';

/**
 * The dashboard (issue 12, item 4), the first page IT staff see. One call for every flow's row: the
 * other operations would take five (flows, runs, exception counts, the outbox, holds) plus one runs
 * read per flow for its sparklines. Counts only, so every role reads it.
 */
export const dashboardOperations = {
  'dashboard.overview': operation({
    summary:
      "Every flow's state, last run, freshness, open exceptions, outbox depth, holds and the last two hours of written and failed records",
    input: empty,
    output: returns<DashboardOverview>(),
    access: EVERY_ROLE,
    kind: 'read',
  }),
} as const;
