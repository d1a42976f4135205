import type { HeavyStoreWork } from '../api/services.js';
import { StoreWorkerClient, StoreWorkerError } from '../store/worker/store-worker-client.js';
import { ApiFailure } from '../../shared/contract/result.js';
import type { LiveEvent } from '../../shared/contract/events.js';

/**
 * Walking the whole audit chain, copying the store, pruning payloads and counting a report's period run in the store worker thread, with its own
 * SQLite connection, so the thread serving the window or the HTTP API never stalls on them.
 */
export function createHeavyStoreWork(
  dataDir: string,
  publish: (event: LiveEvent) => void = () => undefined,
): Promise<HeavyStoreWork> {
  const client = new StoreWorkerClient();
  const explain = (error: unknown): never => {
    if (error instanceof StoreWorkerError) throw new ApiFailure('unavailable', error.message);
    throw error;
  };
  return Promise.resolve({
    // The worker reports every 20 000 rows (a few times a second): consoles show a progress bar.
    verifyAudit: () =>
      client
        .verifyAudit(dataDir, (done, total) => publish({ type: 'audit.verifying', done, total }))
        .catch(explain),
    checkIntegrity: (mode) => client.checkIntegrity(dataDir, mode).catch(explain),
    backup: (reason) => client.backup(dataDir, reason).catch(explain),
    prunePayloads: (request) => client.prunePayloads(dataDir, request).catch(explain),
    auditSummary: (filter, maxRows) => client.auditSummary(dataDir, filter, maxRows).catch(explain),
    close: () => client.close(),
  });
}
