import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, nativeTheme, protocol, session, shell } from 'electron';
import { createCore } from '../app/core.js';
import { createLogger } from '../log/logger.js';
import { defaultDataDir } from '../paths/default-data-dir.js';
import { APP_ENTRY_URL, APP_SCHEME, APP_SCHEME_PRIVILEGES } from './app-origin.js';
import { createAppProtocolHandler } from './app-protocol-handler.js';
import { bindIpcOperations } from './ipc-binding.js';
import { parseMainArgs } from './main-args.js';
import { openExternalHttps } from './open-external.js';
import { hardenSession } from './session-hardening.js';
import { guardWebContents } from './web-contents-guard.js';
import { forwardEventsToWindow } from './window-events.js';
import { consoleWindowOptions } from './window-options.js';
import { WindowSessions } from './window-sessions.js';

// The Electron entry (dist/main/electron-main.cjs). Only wiring lives here; every decision it applies
// is a tested, electron-free module next to it.

type Core = Awaited<ReturnType<typeof createCore>>;

// dist/main/electron-main.cjs → dist/
const distDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rendererDir = path.join(distDir, 'renderer');
const preloadPath = path.join(distDir, 'preload', 'preload.cjs');

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

const windows = new WindowSessions();
let core: Core | null = null;
let mainWindow: BrowserWindow | null = null;

// Every webContents, whoever creates it, gets the navigation / new-window / webview rules.
app.on('web-contents-created', (_event, contents) => {
  guardWebContents(contents, {
    openExternally: (url) => {
      openExternalHttps(url, shell).catch((error: unknown) => log('could not open a link', describe(error)));
    },
    refused: (what, url) => log(`refused ${what}`, url),
  });
});

function createWindow(activeCore: Core): BrowserWindow {
  const window = new BrowserWindow(
    consoleWindowOptions({
      preloadPath,
      darkMode: nativeTheme.shouldUseDarkColors,
      allowDevTools: !app.isPackaged,
    }),
  );
  const contents = window.webContents;
  const id = contents.id;
  windows.add(id);
  forwardEventsToWindow(contents, windows, (subscriber) => activeCore.subscribe(subscriber));
  contents.once('destroyed', () => windows.remove(id));
  contents.on('render-process-gone', (_event, details) => log('renderer process gone', details.reason));
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  window.loadURL(APP_ENTRY_URL).catch((error: unknown) => log('could not load the console', describe(error)));
  return window;
}

async function start(): Promise<void> {
  const { dataDir } = parseMainArgs(process.argv);
  hardenSession(session.defaultSession);
  protocol.handle(
    APP_SCHEME,
    createAppProtocolHandler(rendererDir, (url, status, reason) => log(`app:// ${status} ${reason}`, url)),
  );
  const started = await createCore({ dataDir: path.resolve(dataDir ?? defaultDataDir()), logger });
  core = started;
  bindIpcOperations({
    ipcMain,
    dispatch: started.dispatch,
    windows,
    onRefused: (name, reason) => log(`refused IPC ${name}`, reason),
    onError: (name, error) => log(`IPC ${name} failed`, describe(error)),
  });
  mainWindow = createWindow(started);
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
    if (core === null) return;
    // Hold the quit until the store is closed cleanly (WAL checkpoint, worker stopped), then quit again.
    event.preventDefault();
    const closing = core;
    core = null;
    closing
      .close()
      .catch((error: unknown) => log('closing the core failed', describe(error)))
      .finally(() => app.quit());
  });
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      log('startup failed', describe(error));
      dialog.showErrorBox('Odoo Sync Console could not start', describe(error));
      app.exit(1);
    });
}
