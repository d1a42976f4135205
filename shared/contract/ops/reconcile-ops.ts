import { z } from 'zod';
import { operation, returns } from '../operation.js';
import { flowIdSchema } from '../../domain/flow.js';
import type { ReconcileReport, ReconcileRun, ReconcileStatus } from '../../domain/flow-reconcile.js';
import { EVERY_ROLE } from './common.js';
import type { Role } from '../roles.js';

/**
 * Reconciliation (issue 12, item 1). Starting one reads Odoo and the source and may open exceptions:
 * IT staff (who run the machinery), finance (who own the books it checks) and administrators may.
 * Every role reads the status and the report (counts, sums and differences, never a payload).
 */
const RECONCILERS: readonly Role[] = ['it-staff', 'finance', 'administrator'];

export const reconcileOperations = {
  'reconcile.run': operation({
    summary:
      "Reconcile a flow now: per period, Odoo's counts and sums against what the console wrote (and the source), differing periods drilled to typed differences, each an exception",
    input: z.object({ flowId: flowIdSchema }).strict(),
    output: returns<ReconcileRun>(),
    access: RECONCILERS,
    kind: 'write',
  }),
  'reconcile.status': operation({
    summary:
      'Reconciliation status of every flow that reconciles: last checked, periods in balance or differing, open differences',
    input: z.object({ flowId: flowIdSchema.optional() }).strict(),
    output: returns<readonly ReconcileStatus[]>(),
    access: EVERY_ROLE,
    kind: 'read',
  }),
  'reconcile.report': operation({
    summary: "A flow's last reconciliation per period (Odoo, console, source) and its differences",
    input: z.object({ flowId: flowIdSchema }).strict(),
    output: returns<ReconcileReport>(),
    access: EVERY_ROLE,
    kind: 'read',
  }),
} as const;
