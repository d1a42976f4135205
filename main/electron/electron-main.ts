import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  MessageChannelMain,
  nativeTheme,
  protocol,
  session,
  shell,
  utilityProcess,
  type MessagePortMain,
} from 'electron';
import { createLogger } from '../log/logger.js';
import { defaultDataDir } from '../paths/default-data-dir.js';
import { APP_ENTRY_URL, APP_SCHEME, APP_SCHEME_PRIVILEGES } from './app-origin.js';
import { createAppProtocolHandler } from './app-protocol-handler.js';
import { CoreProcessSupervisor } from './core-process-supervisor.js';
import { parseMainArgs } from './main-args.js';
import { openExternalHttps } from './open-external.js';
import { hardenSession } from './session-hardening.js';
import { guardWebContents } from './web-contents-guard.js';
import { consoleWindowOptions } from './window-options.js';
import { connectWindowToCore } from './window-port-broker.js';
import {
  CORE_CONNECT_CHANNEL,
  CORE_GONE_CHANNEL,
  CORE_PORT_CHANNEL,
  CORE_RESTARTED_CHANNEL,
} from './window-port-channels.js';

// The Electron entry (dist/main/electron-main.cjs). Only wiring lives here; every decision it applies
// is a tested, electron-free module next to it. The core (store, vault, dispatcher, engine) runs in a
// utility process (dist/main/core-process.cjs): this process draws windows and hands each one a
// MessagePort to the core, so no SQLite write or fsync ever blocks it.

// dist/main/electron-main.cjs → dist/
const mainDir = path.dirname(fileURLToPath(import.meta.url));
const distDir = path.resolve(mainDir, '..');
const rendererDir = path.join(distDir, 'renderer');
const preloadPath = path.join(distDir, 'preload', 'preload.cjs');
const coreProcessPath = path.join(mainDir, 'core-process.cjs');

const logger = createLogger().child({ part: 'electron' });
function log(message: string, detail = ''): void {
  logger.warn({ detail }, message);
}
function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// Both must run before 'ready'. The entry's top level runs before it; never await ahead of these.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
app.enableSandbox();

/** The console windows this app created, by webContents id: only these may get a port to the core. */
const windows = new Map<number, BrowserWindow>();
let supervisor: CoreProcessSupervisor<MessagePortMain> | null = null;
let mainWindow: BrowserWindow | null = null;

function toEveryWindow(channel: string): void {
  for (const window of windows.values()) {
    if (!window.webContents.isDestroyed()) window.webContents.send(channel);
  }
}

function failAndQuit(title: string, reason: string): void {
  log(title, reason);
  dialog.showErrorBox(title, reason);
  app.exit(1);
}

// Every webContents, whoever creates it, gets the navigation / new-window / webview rules.
app.on('web-contents-created', (_event, contents) => {
  guardWebContents(contents, {
    openExternally: (url) => {
      openExternalHttps(url, shell).catch((error: unknown) => log('could not open a link', describe(error)));
    },
    refused: (what, url) => log(`refused ${what}`, url),
  });
});

function createWindow(): BrowserWindow {
  const window = new BrowserWindow(
    consoleWindowOptions({
      preloadPath,
      darkMode: nativeTheme.shouldUseDarkColors,
      allowDevTools: !app.isPackaged,
    }),
  );
  const contents = window.webContents;
  const id = contents.id;
  windows.set(id, window);
  contents.once('destroyed', () => {
    windows.delete(id);
    supervisor?.windowClosed(id);
  });
  contents.on('render-process-gone', (_event, details) => log('renderer process gone', details.reason));
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  window.loadURL(APP_ENTRY_URL).catch((error: unknown) => log('could not load the console', describe(error)));
  return window;
}

function startCoreProcess(dataDir: string): CoreProcessSupervisor<MessagePortMain> {
  return new CoreProcessSupervisor<MessagePortMain>({
    fork: () =>
      utilityProcess.fork(coreProcessPath, ['--data-dir', dataDir], {
        serviceName: 'Odoo Sync Console core',
        stdio: 'inherit',
      }),
    closePort: (port) => port.close(),
    onExit: () => toEveryWindow(CORE_GONE_CHANNEL),
    onRestarted: () => toEveryWindow(CORE_RESTARTED_CHANNEL),
    onGaveUp: (reason) => failAndQuit('Odoo Sync Console stopped', reason),
    log,
  });
}

async function start(): Promise<void> {
  const { dataDir } = parseMainArgs(process.argv);
  hardenSession(session.defaultSession);
  protocol.handle(
    APP_SCHEME,
    createAppProtocolHandler(rendererDir, (url, status, reason) => log(`app:// ${status} ${reason}`, url)),
  );
  const core = startCoreProcess(path.resolve(dataDir ?? defaultDataDir()));
  supervisor = core;
  await core.start();
  ipcMain.on(CORE_CONNECT_CHANNEL, (event) => {
    connectWindowToCore(event, {
      isOurWindow: (id) => windows.has(id),
      createChannel: () => new MessageChannelMain(),
      attachToCore: (windowId, port) => core.attachWindow(windowId, port),
      deliverToFrame: (_asking, port) => event.senderFrame?.postMessage(CORE_PORT_CHANNEL, null, [port]),
      onRefused: (reason) => log('refused a core connection', reason),
    });
  });
  mainWindow = createWindow();
}

if (!app.requestSingleInstanceLock()) {
  // Another instance owns the data folder and its SQLite store; it gets focused instead.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow === null) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', (event) => {
    if (supervisor === null) return;
    // Hold the quit until the core process has closed the store cleanly (WAL checkpoint, workers
    // stopped), then quit again.
    event.preventDefault();
    const closing = supervisor;
    supervisor = null;
    closing
      .stop()
      .catch((error: unknown) => log('closing the core failed', describe(error)))
      .finally(() => app.quit());
  });
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => failAndQuit('Odoo Sync Console could not start', describe(error)));
}
