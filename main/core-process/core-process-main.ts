import path from 'node:path';
import { parentPort as workerParentPort } from 'node:worker_threads';
import { createCore } from '../app/core.js';
import { createLogger } from '../log/logger.js';
import { parseCoreProcessArgs } from './core-process-args.js';
import { hostCore, type HostChannel } from './core-host.js';
import { fromMainPort, fromNodePort, type EventPortMain, type NodePort } from './message-port-like.js';
import type { CoreToHost } from './port-protocol.js';

// The core process's entry (dist/main/core-process.cjs): the store, the vault, the dispatcher and
// the engine run here, so the Electron main process (which draws every window) never waits on SQLite
// or an fsync. In the app it is an Electron utility process; tests run this same bundle in a Node
// worker thread, so both kinds of parent are understood. Never imports electron.

/** Electron's `process.parentPort` in a utility process (a MessageEvent with data and ports). */
interface ElectronParentPort {
  on(event: 'message', listener: (event: { data: unknown; ports: EventPortMain[] }) => void): unknown;
  postMessage(message: unknown): void;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function hostChannel(): HostChannel {
  const electronParent = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
  if (electronParent !== undefined) {
    return {
      onMessage: (listener) =>
        void electronParent.on('message', (event) => listener(event.data, event.ports.map(fromMainPort))),
      postMessage: (message: CoreToHost) => electronParent.postMessage(message),
    };
  }
  const worker = workerParentPort;
  if (worker !== null) {
    // A worker parent sends { data, ports } with the ports in the transfer list: Electron's shape.
    return {
      onMessage: (listener) =>
        void worker.on('message', (value: { data?: unknown; ports?: NodePort[] }) =>
          listener(value.data, (value.ports ?? []).map(fromNodePort)),
        ),
      postMessage: (message: CoreToHost) => worker.postMessage(message),
    };
  }
  throw new Error('The core process runs as an Electron utility process or a worker thread.');
}

async function main(): Promise<void> {
  const host = hostChannel();
  const logger = createLogger().child({ part: 'core-process' });
  const log = (message: string, detail = ''): void => logger.warn({ detail }, message);
  let core: Awaited<ReturnType<typeof createCore>>;
  try {
    const args = parseCoreProcessArgs(process.argv);
    core = await createCore({
      dataDir: path.resolve(args.dataDir),
      keychainService: args.keychainService,
      logger,
    });
  } catch (error) {
    log('the core could not start', describe(error));
    host.postMessage({ type: 'start-failed', message: describe(error) });
    // A moment for the message to leave before the exit, which the main process also watches for.
    setTimeout(() => process.exit(1), 200);
    return;
  }
  const hosted = hostCore(core, host, { log });
  host.postMessage({ type: 'ready' });
  await hosted.closed;
  process.exit(0);
}

void main();
