import type { StoreWorkerInput, StoreWorkerOutput, StoreWorkerRequestType } from './store-worker-protocol.js';
import { backupStoreAt, checkIntegrityAt, verifyAuditAt } from '../store-tasks.js';

type Handlers = {
  readonly [K in StoreWorkerRequestType]: (input: StoreWorkerInput<K>) => Promise<StoreWorkerOutput<K>>;
};

/** What the worker does for each request type; each opens its own connection for the job. */
export const storeWorkerHandlers: Handlers = {
  verifyAudit: (input) => Promise.resolve(verifyAuditAt(input.dataDir)),
  backup: (input) => backupStoreAt(input.dataDir, input.reason),
  checkIntegrity: (input) => Promise.resolve(checkIntegrityAt(input.dataDir, input.mode)),
};
