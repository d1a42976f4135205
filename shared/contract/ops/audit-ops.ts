import { z } from 'zod';
import { operation, returns } from '../operation.js';
import type { AuditPage, AuditVerification } from '../../domain/audit.js';
import { ADMIN, empty } from './common.js';

/** The audit log and store backups. */
export const auditOperations = {
  'audit.list': operation({
    summary: 'Read the audit log, newest first',
    input: z
      .object({
        beforeSeq: z.number().int().positive().optional(),
        limit: z.number().int().min(1).max(500).default(100),
        action: z.string().max(80).optional(),
        actor: z.string().max(64).optional(),
      })
      .strict(),
    output: returns<AuditPage>(),
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
