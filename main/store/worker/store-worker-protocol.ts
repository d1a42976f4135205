import { z } from 'zod';
import type { AuditVerification } from '../../../shared/domain/audit.js';
import type { BackupResult } from '../types.js';
import type { IntegrityMode, IntegrityReport } from '../integrity/integrity-check.js';
import type { PayloadRetentionRun } from '../retention/payload-retention.js';
import type { PayloadRetentionRequest } from '../retention/payload-retention-at.js';
import type { AuditPeriodSummary } from '../audit/audit-period-summary.js';
import type { AuditFilter } from '../types.js';
import { AUDIT_OUTCOMES } from '../../../shared/domain/audit.js';
import { MAX_RETENTION_DAYS, MIN_RETENTION_DAYS } from '../../../shared/contract/ops/retention-ops.js';

/**
 * The store worker's request types: name → input and output. To add one (the engine, issue 5):
 * add its entry here, its input schema to `storeWorkerInputSchemas`, and its handler to
 * store-worker-handlers.ts; the compiler then insists all three agree.
 */
export interface StoreWorkerRequestMap {
  verifyAudit: { input: { readonly dataDir: string }; output: AuditVerification };
  backup: { input: { readonly dataDir: string; readonly reason: string }; output: BackupResult };
  checkIntegrity: {
    input: { readonly dataDir: string; readonly mode: IntegrityMode };
    output: IntegrityReport;
  };
  prunePayloads: {
    input: { readonly dataDir: string } & PayloadRetentionRequest;
    output: PayloadRetentionRun;
  };
  /** The printable report's counts and first rows: one pass over a period that may be millions of rows. */
  auditSummary: {
    input: { readonly dataDir: string; readonly filter: AuditFilter; readonly maxRows: number };
    output: AuditPeriodSummary;
  };
}

export type StoreWorkerRequestType = keyof StoreWorkerRequestMap;
export type StoreWorkerInput<K extends StoreWorkerRequestType> = StoreWorkerRequestMap[K]['input'];
export type StoreWorkerOutput<K extends StoreWorkerRequestType> = StoreWorkerRequestMap[K]['output'];

/** One request on the channel; `id` pairs it with its response. */
export type StoreWorkerRequest = {
  [K in StoreWorkerRequestType]: {
    readonly id: number;
    readonly type: K;
    readonly input: StoreWorkerInput<K>;
  };
}[StoreWorkerRequestType];

/** Errors cross as a code and a message only: never a stack, never an Error object. */
export interface StoreWorkerFailure {
  readonly code: string;
  readonly message: string;
}

export type StoreWorkerResponse =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: StoreWorkerFailure };

/** How far a long request (an audit walk) has got: sent before its response, any number of times. */
export interface StoreWorkerProgress {
  readonly id: number;
  readonly progress: { readonly done: number; readonly total: number };
}

export type StoreWorkerMessage = StoreWorkerResponse | StoreWorkerProgress;

export function isStoreWorkerProgress(message: StoreWorkerMessage): message is StoreWorkerProgress {
  return 'progress' in message;
}

const dataDir = z.string().min(1).max(4096);

/** The explorer's filter as the main side resolved it (names already turned into target ids). */
const auditFilterSchema = z
  .object({
    action: z.string().max(80).optional(),
    actor: z.string().max(64).optional(),
    targets: z.array(z.string().max(512)).max(1000).optional(),
    outcome: z.enum(AUDIT_OUTCOMES).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    text: z.string().max(200).optional(),
    hideOkActions: z.array(z.string().max(80)).max(500).optional(),
  })
  .strict();

/** The worker parses every input before acting on it, as it would any message crossing a boundary. */
export const storeWorkerInputSchemas: {
  readonly [K in StoreWorkerRequestType]: z.ZodType<StoreWorkerInput<K>>;
} = {
  verifyAudit: z.object({ dataDir }).strict(),
  backup: z.object({ dataDir, reason: z.string().min(1).max(48) }).strict(),
  checkIntegrity: z.object({ dataDir, mode: z.enum(['quick', 'full']) }).strict(),
  prunePayloads: z
    .object({
      dataDir,
      days: z.number().int().min(MIN_RETENTION_DAYS).max(MAX_RETENTION_DAYS),
      actor: z.string().min(1).max(200),
      now: z.iso.datetime(),
    })
    .strict(),
  auditSummary: z
    .object({ dataDir, filter: auditFilterSchema, maxRows: z.number().int().min(1).max(10_000) })
    .strict(),
};

export const envelopeSchema = z.object({
  id: z.number().int().nonnegative(),
  type: z.string().max(64),
  input: z.unknown(),
});

export function isStoreWorkerRequestType(type: string): type is StoreWorkerRequestType {
  return Object.hasOwn(storeWorkerInputSchemas, type);
}
