import { z } from 'zod';
import { operation, returns } from '../operation.js';
import { flowIdSchema } from '../../domain/flow.js';
import { HOLD_STATES, type AnomalyHold } from '../../domain/flow-anomaly.js';
import { EVERY_ROLE } from './common.js';
import type { Role } from '../roles.js';

/**
 * Releasing or rejecting a held batch decides whether figures reach the books: finance owns that
 * judgement (is 10× a real quarterly count or a duplicate export?), administrators stand in. IT staff
 * run the machinery, not the books; viewers only look.
 */
const HOLD_DECIDERS: readonly Role[] = ['finance', 'administrator'];

const holdIdSchema = z
  .string()
  .regex(/^hold_[0-9a-f]{20}$/, 'Not a hold id')
  .max(25);
const reason = z.string().trim().min(3, 'Say why (at least 3 characters)').max(500);

/** Anomaly holds (issue 12, item 2): batches judged anomalous, held until a human decides. */
export const holdOperations = {
  'holds.list': operation({
    summary:
      'Batches held as anomalous (and decided ones), newest first: flow, run, the explanation, state, size',
    input: z
      .object({
        state: z.enum(HOLD_STATES).optional(),
        flowId: flowIdSchema.optional(),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .strict(),
    output: returns<readonly AnomalyHold[]>(),
    access: EVERY_ROLE,
    kind: 'read',
  }),
  'holds.release': operation({
    summary: "Release a held batch with a reason: its writes are sent, in order, by the flow's drain",
    input: z.object({ id: holdIdSchema, reason }).strict(),
    output: returns<{ readonly hold: AnomalyHold; readonly drainRunIds: readonly string[] }>(),
    access: HOLD_DECIDERS,
    kind: 'write',
  }),
  'holds.reject': operation({
    summary:
      'Reject a held batch with a reason: its writes are never sent; each becomes an exception (anomaly.rejected)',
    input: z.object({ id: holdIdSchema, reason }).strict(),
    output: returns<{ readonly hold: AnomalyHold; readonly exceptions: number }>(),
    access: HOLD_DECIDERS,
    kind: 'write',
  }),
} as const;
