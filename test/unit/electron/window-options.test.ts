import { describe, expect, it } from 'vitest';
import { consoleWindowOptions, WINDOW_BACKGROUND } from '../../../main/electron/window-options.js';

const base = {
  preloadPath: '/opt/osc/resources/app.asar/dist/preload/preload.cjs',
  darkMode: false,
  allowDevTools: false,
};

describe('console window options', () => {
  it('isolates and sandboxes the renderer with no Node, no webview and web security on', () => {
    expect(consoleWindowOptions(base).webPreferences).toEqual({
      preload: base.preloadPath,
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
      spellcheck: false,
      enableWebSQL: false,
      devTools: false,
    });
  });

  it('shows the window only when it is ready, at a usable size', () => {
    const options = consoleWindowOptions(base);
    expect(options.show).toBe(false);
    expect(options.width).toBeGreaterThanOrEqual(options.minWidth);
    expect(options.height).toBeGreaterThanOrEqual(options.minHeight);
    expect(options.minWidth).toBeGreaterThanOrEqual(800);
  });

  it('paints the background of the active theme', () => {
    expect(consoleWindowOptions(base).backgroundColor).toBe(WINDOW_BACKGROUND.light);
    expect(consoleWindowOptions({ ...base, darkMode: true }).backgroundColor).toBe(WINDOW_BACKGROUND.dark);
  });

  it('opens developer tools only when asked (unpackaged builds)', () => {
    expect(consoleWindowOptions({ ...base, allowDevTools: true }).webPreferences.devTools).toBe(true);
  });
});
