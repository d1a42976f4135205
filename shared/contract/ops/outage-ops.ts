import { z } from 'zod';
import { operation, returns } from '../operation.js';
import { connectionIdSchema } from '../../domain/connection.js';
import { flowIdSchema } from '../../domain/flow.js';
import type { FallbackEntry, FallbackForm } from '../../domain/fallback.js';
import { FALLBACK_STATES } from '../../domain/fallback.js';
import type { DegradedMode, DowntimeProcedure, OutagesOverview, OutboxEntry } from '../../domain/outage.js';
import { OUTBOX_STATES } from '../../domain/outage.js';
import { ADMIN, EVERY_ROLE } from './common.js';
import type { Role } from '../roles.js';

/** The outbox holds mapped payloads (patient data may be in them): the roles that run outages read it. */
const OUTBOX_READERS: readonly Role[] = ['it-staff', 'administrator'];
/**
 * Entering a manual fallback transaction: the contract lets every role but viewers call it; the
 * handler then checks the flow's own fallback roles (administrators always, others as granted).
 */
const FALLBACK_WRITERS: readonly Role[] = ['it-staff', 'finance', 'administrator'];

const reason = z.string().trim().min(3, 'Say why (at least 3 characters)').max(500);
const fieldValue = z.union([z.string().max(2000), z.number()]);

/** Outage operations (issue 11): degraded mode, the outbox, manual fallback, the downtime procedure. */
export const outageOperations = {
  'outages.overview': operation({
    summary:
      'Every connection with its breaker and degraded mode, the outbox per flow with its drain progress, and the exposure (what waits, since when)',
    input: z.object({}).strict(),
    output: returns<OutagesOverview>(),
    access: EVERY_ROLE,
    kind: 'read',
  }),
  'outages.degrade': operation({
    summary:
      "Switch a connection to degraded mode: its flows' writes wait in the outbox (as a target), its flows wait (as a source)",
    input: z.object({ connectionId: connectionIdSchema, reason }).strict(),
    output: returns<DegradedMode>(),
    access: ADMIN,
    kind: 'write',
  }),
  'outages.restore': operation({
    summary: 'Switch degraded mode off: the outbox drains in order, waiting flows run again',
    input: z
      .object({ connectionId: connectionIdSchema, note: z.string().trim().max(500).optional() })
      .strict(),
    output: returns<{ readonly connectionId: string; readonly drainRunIds: readonly string[] }>(),
    access: ADMIN,
    kind: 'write',
  }),
  'outages.procedure': operation({
    summary:
      'The downtime procedure generated from the configuration: per connection what to do, who, in which order, which flows, the current exposure',
    input: z.object({}).strict(),
    output: returns<DowntimeProcedure>(),
    access: EVERY_ROLE,
    kind: 'read',
  }),
  'outbox.list': operation({
    summary:
      "A flow's outbox: waiting writes in the order they will be sent (or settled ones), with payloads",
    input: z
      .object({
        flowId: flowIdSchema,
        state: z.enum([...OUTBOX_STATES, 'all']).default('waiting'),
        afterSeq: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .strict(),
    output: returns<readonly OutboxEntry[]>(),
    access: OUTBOX_READERS,
    kind: 'read',
  }),
  'fallback.form': operation({
    summary: 'The manual fallback form of a flow, built from its source fields, and who may use it',
    input: z.object({ flowId: flowIdSchema }).strict(),
    output: returns<FallbackForm>(),
    access: EVERY_ROLE,
    kind: 'read',
  }),
  'fallback.enter': operation({
    summary:
      'Enter a transaction by hand during an outage: mapped and validated like a source record, sent or queued under a provisional key, matched when the source delivers it',
    input: z
      .object({
        flowId: flowIdSchema,
        values: z.record(z.string().min(1).max(80), fieldValue),
        reason,
      })
      .strict(),
    output: returns<FallbackEntry>(),
    access: FALLBACK_WRITERS,
    kind: 'write',
  }),
  'fallback.list': operation({
    summary: 'Manual fallback entries, newest first, with their state (queued, sent, matched, differs)',
    input: z
      .object({
        flowId: flowIdSchema.optional(),
        state: z.enum(FALLBACK_STATES).optional(),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .strict(),
    output: returns<readonly FallbackEntry[]>(),
    access: FALLBACK_WRITERS,
    kind: 'read',
  }),
} as const;
