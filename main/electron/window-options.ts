/**
 * The console window's options, as a plain object Electron's BrowserWindow accepts. Built here,
 * without importing electron, so the hardening can be unit-tested; electron-main only passes it on.
 */
export interface WindowOptionsInput {
  /** Absolute path of dist/preload/preload.cjs. */
  readonly preloadPath: string;
  /** From nativeTheme.shouldUseDarkColors: paint the right background before the first frame. */
  readonly darkMode: boolean;
  /** Developer tools only in unpackaged builds. */
  readonly allowDevTools: boolean;
}

export interface HardenedWebPreferences {
  readonly preload: string;
  readonly contextIsolation: true;
  readonly sandbox: true;
  readonly nodeIntegration: false;
  readonly nodeIntegrationInWorker: false;
  readonly nodeIntegrationInSubFrames: false;
  readonly webviewTag: false;
  readonly webSecurity: true;
  readonly allowRunningInsecureContent: false;
  readonly experimentalFeatures: false;
  readonly navigateOnDragDrop: false;
  readonly safeDialogs: true;
  readonly spellcheck: false;
  readonly enableWebSQL: false;
  readonly devTools: boolean;
}

export interface ConsoleWindowOptions {
  readonly width: number;
  readonly height: number;
  readonly minWidth: number;
  readonly minHeight: number;
  readonly show: false;
  readonly backgroundColor: string;
  readonly title: string;
  readonly autoHideMenuBar: true;
  readonly webPreferences: HardenedWebPreferences;
}

/** The renderer's own background colours (light / dark), so the window never flashes white. */
export const WINDOW_BACKGROUND = { light: '#f6f7f9', dark: '#16181d' } as const;

export function consoleWindowOptions(input: WindowOptionsInput): ConsoleWindowOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 600,
    // Shown on 'ready-to-show', once the first paint is done.
    show: false,
    backgroundColor: input.darkMode ? WINDOW_BACKGROUND.dark : WINDOW_BACKGROUND.light,
    title: 'Odoo Sync Console',
    autoHideMenuBar: true,
    webPreferences: {
      preload: input.preloadPath,
      // The renderer gets no Node and no electron: only what the preload exposes, across the
      // isolated-world boundary, from a sandboxed process.
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      // Spellcheck fetches dictionaries from a CDN and hands typed text (patient and supplier names)
      // to the OS spellchecker; the console needs neither.
      spellcheck: false,
      enableWebSQL: false,
      devTools: input.allowDevTools,
    },
  };
}
