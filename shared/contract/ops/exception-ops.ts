import { z } from 'zod';
import { operation, returns } from '../operation.js';
import { flowIdSchema } from '../../domain/flow.js';
import {
  EXCEPTION_CLASSES,
  EXCEPTION_STATES,
  exceptionIdSchema,
  MAX_RETRY_SELECTION,
  type ExceptionCounts,
  type ExceptionDetail,
  type ExceptionGroup,
  type ExceptionNote,
  type ExceptionPage,
  type ExceptionSummary,
  type ReplayStarted,
} from '../../domain/exception.js';
import { usernameSchema } from '../../domain/operator.js';
import { EVERY_ROLE } from './common.js';
import type { Role } from '../roles.js';

/**
 * The exceptions inbox (issue 10). Finance users settle the records that could not go through,
 * administrators can do everything, and IT staff act too (they fix the mappings and connections
 * behind most exceptions). Viewers read the lists and counts but not an exception's payloads: those
 * may hold patient data, so `exceptions.get` is for the roles that act, and every call is audited
 * with its exception id (the dispatcher writes no payload: reads carry no detail).
 */
export const RESOLVE: readonly Role[] = ['finance', 'it-staff', 'administrator'];

const isoInstant = z
  .string()
  .trim()
  .max(40)
  .regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/, 'Use a date like 2026-01-31 or an ISO instant')
  .refine((value) => !Number.isNaN(Date.parse(value)), { message: 'Not a real date' });

const filterFields = {
  flowId: flowIdSchema.optional(),
  class: z.enum(EXCEPTION_CLASSES).optional(),
  state: z.enum(EXCEPTION_STATES).optional(),
  /** A username, or null for the unassigned ones. */
  assignee: usernameSchema.nullable().optional(),
  text: z.string().trim().max(200).optional(),
  createdAfter: isoInstant.optional(),
  createdBefore: isoInstant.optional(),
  signature: z.string().max(400).optional(),
};

const cursorSchema = z
  .string()
  .max(120)
  .regex(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z~exc_[a-z0-9]{10,40}$/, 'Not a page cursor');

/**
 * What a retry sends: chosen ids, a whole group (its signature), or a filter. Exactly one of them;
 * only the unsettled exceptions it selects are sent, at most MAX_RETRY_SELECTION.
 */
const retrySelection = z
  .object({
    ids: z.array(exceptionIdSchema).min(1).max(MAX_RETRY_SELECTION).optional(),
    signature: z.string().min(1).max(400).optional(),
    filter: z.object(filterFields).strict().optional(),
  })
  .strict();

export const exceptionOperations = {
  'exceptions.list': operation({
    summary: 'Exceptions (records that could not go through), newest first, filtered and paged',
    input: z
      .object({
        ...filterFields,
        cursor: cursorSchema.optional(),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .strict(),
    output: returns<ExceptionPage>(),
    access: EVERY_ROLE,
    kind: 'read',
  }),
  'exceptions.groups': operation({
    summary: 'Exceptions grouped by signature (same code, field and value pattern), largest first',
    input: z.object({ ...filterFields, limit: z.number().int().min(1).max(500).default(100) }).strict(),
    output: returns<readonly ExceptionGroup[]>(),
    access: EVERY_ROLE,
    kind: 'read',
  }),
  'exceptions.counts': operation({
    summary: 'Open and dead exceptions per flow',
    input: z.object({}).strict(),
    output: returns<readonly ExceptionCounts[]>(),
    access: EVERY_ROLE,
    kind: 'read',
  }),
  'exceptions.get': operation({
    summary: 'One exception with its source and mapped payloads, attempts and notes (reading it is audited)',
    input: z.object({ id: exceptionIdSchema }).strict(),
    output: returns<ExceptionDetail>(),
    access: RESOLVE,
    kind: 'read',
  }),
  'exceptions.assign': operation({
    summary: 'Assign an exception to an operator, or unassign it (null)',
    input: z.object({ id: exceptionIdSchema, assignee: usernameSchema.nullable() }).strict(),
    output: returns<ExceptionSummary>(),
    access: RESOLVE,
    kind: 'write',
  }),
  'exceptions.note': operation({
    summary: 'Add a note to an exception',
    input: z
      .object({ id: exceptionIdSchema, text: z.string().trim().min(1, 'Write a note').max(2000) })
      .strict(),
    output: returns<ExceptionNote>(),
    access: RESOLVE,
    kind: 'write',
  }),
  'exceptions.retry': operation({
    summary:
      'Retry exceptions (chosen ids, a group by signature, or a filter): replay runs send their stored records again, without duplicates',
    input: retrySelection,
    output: returns<ReplayStarted>(),
    access: RESOLVE,
    kind: 'write',
  }),
  'exceptions.replay': operation({
    summary:
      'Edit and replay one exception: the edited source record (a new child; the original stays) is checked with the active mapping, then sent',
    input: z
      .object({
        id: exceptionIdSchema,
        sourcePayload: z.record(z.string().max(200, 'A field name is at most 200 characters'), z.unknown()),
      })
      .strict(),
    output: returns<ReplayStarted>(),
    access: RESOLVE,
    // The edited record may hold patient data: it is stored with the exception, never in the audit log.
    secretFields: ['sourcePayload'],
    kind: 'write',
  }),
  'exceptions.ignore': operation({
    summary: 'Ignore an exception, with the reason why (it stays as evidence)',
    input: z
      .object({
        id: exceptionIdSchema,
        reason: z.string().trim().min(3, 'Say why (at least 3 characters)').max(500),
      })
      .strict(),
    output: returns<ExceptionSummary>(),
    access: RESOLVE,
    kind: 'write',
  }),
} as const;
