import type { HeavyStoreWork } from '../api/services.js';
import { StoreWorkerClient, StoreWorkerError } from '../store/worker/store-worker-client.js';
import { ApiFailure } from '../../shared/contract/result.js';

/**
 * Walking the whole audit chain and copying the store run in the store worker thread, with its own
 * SQLite connection, so the thread serving the window or the HTTP API never stalls on them.
 */
export function createHeavyStoreWork(dataDir: string): Promise<HeavyStoreWork> {
  const client = new StoreWorkerClient();
  const explain = (error: unknown): never => {
    if (error instanceof StoreWorkerError) throw new ApiFailure('unavailable', error.message);
    throw error;
  };
  return Promise.resolve({
    verifyAudit: () => client.verifyAudit(dataDir).catch(explain),
    checkIntegrity: (mode) => client.checkIntegrity(dataDir, mode).catch(explain),
    backup: (reason) => client.backup(dataDir, reason).catch(explain),
    close: () => client.close(),
  });
}
