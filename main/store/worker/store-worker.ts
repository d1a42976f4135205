// The store worker's entry (bundled as dist/main/store-worker.cjs): whole-store jobs run here, on
// their own thread and their own SQLite connection, so the thread serving the window or HTTP stays
// responsive while the audit chain is walked or the store is copied.
import { parentPort } from 'node:worker_threads';
import { dispatchStoreRequest } from './dispatch-store-request.js';

const port = parentPort;
if (port === null)
  throw new Error('store-worker.ts runs only as a worker thread (see store-worker-client.ts)');

port.on('message', (raw: unknown) => {
  // Progress messages go out while the job runs (postMessage does not wait for the thread to idle).
  void dispatchStoreRequest(raw, (progress) => port.postMessage(progress)).then((response) => {
    if (response !== null) port.postMessage(response);
  });
});
