import { homedir } from 'node:os';
import { posix, win32 } from 'node:path';

/** The folder name under the OS's per-user application-data folder. */
export const APP_FOLDER = 'odoo-sync-console';

/**
 * Where the store lives by default, per OS convention: Linux (and other Unixes) follow the XDG base
 * directory spec, macOS uses Application Support, Windows the roaming AppData folder. Pure, so each
 * platform's rule is testable on any platform.
 */
export function dataDirFor(
  platform: NodeJS.Platform,
  env: Readonly<Record<string, string | undefined>>,
  home: string,
): string {
  if (platform === 'win32') {
    const appData = nonEmpty(env.APPDATA) ?? win32.join(home, 'AppData', 'Roaming');
    return win32.join(appData, APP_FOLDER);
  }
  if (platform === 'darwin') return posix.join(home, 'Library', 'Application Support', APP_FOLDER);
  // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const xdg = nonEmpty(env.XDG_CONFIG_HOME);
  const configHome = xdg !== undefined && posix.isAbsolute(xdg) ? xdg : posix.join(home, '.config');
  return posix.join(configHome, APP_FOLDER);
}

/** The data dir for this process; the Electron shell and the `osc` CLI use it when no --data-dir is given. */
export function defaultDataDir(): string {
  return dataDirFor(process.platform, process.env, homedir());
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
