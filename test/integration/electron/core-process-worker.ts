import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { build } from 'vite';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { fromNodePort } from '../../../main/core-process/message-port-like.js';
import type { HostToCore } from '../../../main/core-process/port-protocol.js';
import { CorePortClient } from '../../../main/electron/core-port-client.js';
import { CoreProcessSupervisor, type CoreChild } from '../../../main/electron/core-process-supervisor.js';
import { KEYCHAIN_TEST_SERVICE } from '../../support/test-caller.js';

/**
 * Runs the real core-process bundle (core-process.cjs: real core, SQLite file, OS keyring) in a Node
 * worker thread, supervised by the same CoreProcessSupervisor electron-main.ts uses, with Node's
 * MessageChannel standing in for Electron's MessageChannelMain. Only Electron itself is absent.
 *
 * The main bundles are built from the current sources into a private folder (vite.config.ts, --mode
 * main), so the test runs what would ship and never races another build of dist/. The folder is under
 * node_modules/.cache so the bundles' external native modules (better-sqlite3, the keyring) resolve.
 */
const projectRoot = path.resolve(import.meta.dirname, '../../..');

export interface BuiltMain {
  readonly coreProcess: string;
  readonly mainEntry: string;
  readonly outDir: string;
  remove(): void;
}

export async function buildMainBundles(): Promise<BuiltMain> {
  const cache = path.join(projectRoot, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const outDir = mkdtempSync(path.join(cache, 'osc-main-bundle-'));
  await build({
    configFile: path.join(projectRoot, 'vite.config.ts'),
    root: projectRoot,
    mode: 'main',
    logLevel: 'silent',
    build: { outDir, emptyOutDir: true, sourcemap: false },
  });
  return {
    coreProcess: path.join(outDir, 'core-process.cjs'),
    mainEntry: path.join(outDir, 'electron-main.cjs'),
    outDir,
    remove: () => rmSync(outDir, { recursive: true, force: true }),
  };
}

/** A worker as the supervisor's child: messages go as { data, ports }, Electron's parentPort shape. */
export function workerChild(
  bundle: string,
  dataDir: string,
): CoreChild<MessagePort> & { readonly worker: Worker } {
  const worker = new Worker(bundle, {
    argv: ['--data-dir', dataDir, '--keychain-service', KEYCHAIN_TEST_SERVICE],
    env: { ...process.env, OSC_LOG_LEVEL: process.env.OSC_LOG_LEVEL ?? 'silent' },
  });
  // A worker's uncaught error is its exit (code 1), which the supervisor handles; without a listener
  // it would also be thrown in the test's own thread.
  worker.on('error', () => undefined);
  const child = {
    worker,
    postMessage: (message: HostToCore, transfer: MessagePort[] = []) =>
      worker.postMessage({ data: message, ports: transfer }, transfer),
    on: (event: 'message' | 'exit', listener: (value: unknown) => void) => worker.on(event, listener),
    kill: () => {
      void worker.terminate();
      return true;
    },
  };
  // The overloads of CoreChild.on ('message' with a payload, 'exit' with a code) are one function here.
  return child as CoreChild<MessagePort> & { readonly worker: Worker };
}

export interface SupervisedCore {
  readonly supervisor: CoreProcessSupervisor<MessagePort>;
  /** Every worker the supervisor started, newest last. */
  readonly children: (CoreChild<MessagePort> & { readonly worker: Worker })[];
  readonly notes: string[];
  /** What electron-main does for a window: a fresh channel, one end to the core naming the window. */
  openWindowPort(windowId: number): MessagePort | null;
  /** The same, with the preload's client on the window's end. */
  connectWindow(windowId: number, client?: CorePortClient): CorePortClient;
}

export function superviseCore(bundle: string, dataDir: string): SupervisedCore {
  const children: SupervisedCore['children'] = [];
  const notes: string[] = [];
  const supervisor = new CoreProcessSupervisor<MessagePort>({
    fork: () => {
      const child = workerChild(bundle, dataDir);
      children.push(child);
      return child;
    },
    closePort: (port) => port.close(),
    onExit: (code) => notes.push(`exit ${code}`),
    onRestarted: () => notes.push('restarted'),
    onGaveUp: (reason) => notes.push(`gave up: ${reason}`),
    log: () => undefined,
    restartWindowMs: 60_000,
  });
  return {
    supervisor,
    children,
    notes,
    openWindowPort(windowId) {
      const { port1, port2 } = new MessageChannel();
      if (supervisor.attachWindow(windowId, port2)) return port1;
      port1.close();
      return null;
    },
    connectWindow(windowId, client = new CorePortClient({ connectTimeoutMs: 2_000 })) {
      const port = this.openWindowPort(windowId);
      if (port !== null) client.attach(fromNodePort(port));
      return client;
    },
  };
}
