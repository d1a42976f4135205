import { z } from 'zod';
import { operation, returns } from '../operation.js';
import { flowIdSchema } from '../../domain/flow.js';
import { mappingIdSchema } from '../../domain/mapping.js';
import {
  MAX_SHADOW_PERIODS,
  MAX_SHADOW_RECORDS,
  shadowRunIdSchema,
  type ShadowGate,
  type ShadowReport,
  type ShadowRunSummary,
} from '../../domain/shadow.js';
import { ADMIN, CONFIGURE, EVERY_ROLE } from './common.js';

/**
 * Shadow runs (issue 12, item 3). Starting one reads a flow's source and asks Odoo to check writes
 * it then rolls back: IT staff and administrators, who configure flows and mappings. Every role
 * reads the reports (values only for roles that read payloads). The promotion gate is governance,
 * like approving a version: administrators set it.
 */
export const shadowOperations = {
  'shadow.start': operation({
    summary:
      "Shadow-run a mapping version of a flow over the flow's real source records: mapped, compared with the active version and checked by Odoo without keeping anything",
    input: z
      .object({
        flowId: flowIdSchema,
        version: z.number().int().min(1),
        since: z.iso.datetime({ offset: true }).max(40).nullable().default(null),
        limit: z.number().int().min(1).max(MAX_SHADOW_RECORDS).default(100),
      })
      .strict(),
    output: returns<ShadowRunSummary>(),
    access: CONFIGURE,
    kind: 'write',
  }),
  'shadow.list': operation({
    summary: 'Shadow runs, newest first, of a flow or a mapping: counts, differing records, clean or not',
    input: z
      .object({
        flowId: flowIdSchema.optional(),
        mappingId: mappingIdSchema.optional(),
        limit: z.number().int().min(1).max(200).default(50),
      })
      .strict(),
    output: returns<readonly ShadowRunSummary[]>(),
    access: EVERY_ROLE,
    kind: 'read',
  }),
  'shadow.report': operation({
    summary: "A shadow run's report: per record the differing fields and Odoo's verdict",
    input: z.object({ id: shadowRunIdSchema }).strict(),
    output: returns<ShadowReport>(),
    access: EVERY_ROLE,
    kind: 'read',
  }),
  'shadow.gate': operation({
    summary: "A mapping's promotion gate: clean shadow periods required, and each version's clean periods",
    input: z.object({ mappingId: mappingIdSchema }).strict(),
    output: returns<ShadowGate>(),
    access: EVERY_ROLE,
    kind: 'read',
  }),
  'shadow.setGate': operation({
    summary: 'Set how many clean shadow periods a version of a mapping needs before it may be activated',
    input: z
      .object({
        mappingId: mappingIdSchema,
        shadowPeriodsRequired: z.number().int().min(0).max(MAX_SHADOW_PERIODS),
      })
      .strict(),
    output: returns<ShadowGate>(),
    access: ADMIN,
    kind: 'write',
  }),
} as const;
