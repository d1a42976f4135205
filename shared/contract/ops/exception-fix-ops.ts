import { z } from 'zod';
import { operation, returns } from '../operation.js';
import { flowIdSchema } from '../../domain/flow.js';
import { exceptionIdSchema } from '../../domain/exception.js';
import type { ExceptionFix } from '../../domain/exception-fix.js';
import { EVERY_ROLE } from './common.js';
import { RESOLVE } from './exception-ops.js';

/**
 * One-click fixes (issue 10): change an exception's cause, then replay what that cause blocked.
 * Mapping a code only writes a DRAFT mapping version by the operator: another administrator still
 * approves it (four eyes) and somebody activates it; the replay starts the moment it is active.
 */
export const exceptionFixOperations = {
  'exceptions.mapCode': operation({
    summary:
      "Map the missing code of an unmapped-code exception: a new draft of the flow's mapping (approval still applies); once active, every exception that code blocked is replayed",
    input: z
      .object({
        id: exceptionIdSchema,
        value: z.string().trim().min(1, 'Give the value the code maps to').max(200),
        note: z.string().trim().max(500).optional(),
      })
      .strict(),
    output: returns<ExceptionFix>(),
    access: RESOLVE,
    kind: 'write',
  }),
  'exceptions.retryWhenReferenced': operation({
    summary:
      'Retry missing-reference exceptions (one, or a group by signature) once the referenced record exists: after runs writing to the same target, and on a backoff',
    input: z
      .object({
        id: exceptionIdSchema.optional(),
        signature: z.string().min(1).max(400).optional(),
      })
      .strict(),
    output: returns<ExceptionFix>(),
    access: RESOLVE,
    kind: 'write',
  }),
  'exceptions.fixes': operation({
    summary: 'One-click fixes and their replay progress (by default the ones still working)',
    input: z
      .object({
        flowId: flowIdSchema.optional(),
        signature: z.string().max(400).optional(),
        active: z.boolean().default(true),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .strict(),
    output: returns<readonly ExceptionFix[]>(),
    access: EVERY_ROLE,
    kind: 'read',
  }),
} as const;
