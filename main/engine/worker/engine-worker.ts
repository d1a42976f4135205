// The engine worker's entry (bundled as dist/main/engine-worker.cjs): flows run here, with their own
// SQLite connection, so the thread serving the window or HTTP keeps its event loop free during a
// bulk sync. See engine-client.ts for the serving side of the channel.
import { parentPort } from 'node:worker_threads';
import { EngineHost } from './engine-host.js';

const port = parentPort;
if (port === null) throw new Error('engine-worker.ts runs only as a worker thread (see engine-client.ts)');

const host = new EngineHost(port);
port.on('message', (raw: unknown) => {
  void host.handle(raw);
});
