import type { StoreWorkerInput, StoreWorkerOutput, StoreWorkerRequestType } from './store-worker-protocol.js';
import { backupStoreAt, checkIntegrityAt, verifyAuditAt } from '../store-tasks.js';
import { runPayloadRetentionAt } from '../retention/payload-retention-at.js';
import { auditSummaryAt } from '../audit/audit-period-summary.js';

/** Where a handler reports how far it has got (rows done of total). */
export type ReportProgress = (done: number, total: number) => void;

type Handlers = {
  readonly [K in StoreWorkerRequestType]: (
    input: StoreWorkerInput<K>,
    report: ReportProgress,
  ) => Promise<StoreWorkerOutput<K>>;
};

/** A progress event every this many rows: about ten a second at the walk's speed. */
const VERIFY_PROGRESS_EVERY = 20_000;

/** What the worker does for each request type; each opens its own connection for the job. */
export const storeWorkerHandlers: Handlers = {
  verifyAudit: (input, report) =>
    Promise.resolve(
      verifyAuditAt(input.dataDir, {
        progressEvery: VERIFY_PROGRESS_EVERY,
        onProgress: ({ done, total }) => report(done, total),
      }),
    ),
  backup: (input) => backupStoreAt(input.dataDir, input.reason),
  checkIntegrity: (input) => Promise.resolve(checkIntegrityAt(input.dataDir, input.mode)),
  prunePayloads: ({ dataDir, ...request }) => Promise.resolve(runPayloadRetentionAt(dataDir, request)),
  auditSummary: ({ dataDir, filter, maxRows }) => Promise.resolve(auditSummaryAt(dataDir, filter, maxRows)),
};
