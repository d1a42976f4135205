import { z } from 'zod';
import { operation, returns } from '../operation.js';
import {
  AUDIT_OUTCOMES,
  type AuditCsvChunk,
  type AuditExplorerPage,
  type AuditReport,
  type AuditVerification,
} from '../../domain/audit.js';
import { ADMIN, empty } from './common.js';

/**
 * What the explorer searches by (issue 13, item 4). `action` is an exact action or a family
 * ('exceptions' matches every 'exceptions.*'); `object` matches a target id or the name of what it
 * names; `text` is free text over action, operator, target and detail; `from`/`to` bound `at`
 * (from inclusive, to exclusive); `hideReads` leaves out successful reads (page views), which stay
 * in the log.
 */
/** An ISO date and time with its offset; the length cap keeps every contract string bounded. */
const isoInstant = () => z.iso.datetime({ offset: true }).max(40);

const auditSearch = {
  action: z.string().trim().max(80).optional(),
  actor: z.string().trim().max(64).optional(),
  object: z.string().trim().max(200).optional(),
  outcome: z.enum(AUDIT_OUTCOMES).optional(),
  from: isoInstant().optional(),
  to: isoInstant().optional(),
  text: z.string().trim().max(200).optional(),
  hideReads: z.boolean().default(false),
};

const periodInOrder = (input: { from?: string | undefined; to?: string | undefined }) =>
  input.from === undefined || input.to === undefined || Date.parse(input.from) < Date.parse(input.to);
const periodMessage = { message: 'The period must end after it starts', path: ['to'] };

/** The audit log, its explorer exports and store backups. */
export const auditOperations = {
  'audit.list': operation({
    summary: 'Read the audit log, newest first',
    input: z
      .object({
        beforeSeq: z.number().int().positive().optional(),
        limit: z.number().int().min(1).max(500).default(100),
        ...auditSearch,
      })
      .strict()
      .refine(periodInOrder, periodMessage),
    output: returns<AuditExplorerPage>(),
    access: ['it-staff', 'administrator', 'viewer'],
    kind: 'read',
  }),
  'audit.exportCsv': operation({
    summary: 'Export the matching audit rows of a period as CSV, oldest first, one chunk per call',
    input: z
      .object({ afterSeq: z.number().int().nonnegative().optional(), ...auditSearch })
      .strict()
      .refine(periodInOrder, periodMessage),
    output: returns<AuditCsvChunk>(),
    access: ['it-staff', 'administrator', 'viewer'],
    kind: 'read',
  }),
  'audit.report': operation({
    summary: 'A printable report of a period: counts, rows, chain verification and the latest checkpoint',
    input: z
      .object({
        ...auditSearch,
        from: isoInstant(),
        to: isoInstant(),
      })
      .strict()
      .refine(periodInOrder, periodMessage),
    output: returns<AuditReport>(),
    access: ['it-staff', 'administrator', 'viewer'],
    kind: 'read',
  }),
  'audit.verify': operation({
    summary: 'Walk the audit hash chain and name the first broken row',
    input: empty,
    output: returns<AuditVerification>(),
    access: ['it-staff', 'administrator'],
    kind: 'read',
  }),
  'store.backup': operation({
    summary: 'Take an online backup of the store now',
    input: empty,
    output: returns<{ readonly path: string; readonly bytes: number }>(),
    access: ADMIN,
    kind: 'write',
  }),
} as const;
