/**
 * Where the console UI lives inside Electron. The renderer is served from a privileged custom scheme
 * rather than file:// so that it has a real origin (the CSP 'self', the IPC sender check and the
 * navigation guard all compare against it) and can only reach the build folder, never the disk.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'console';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * Privileges for `protocol.registerSchemesAsPrivileged` (shape of Electron's CustomScheme).
 * standard: URLs parse like http (host, path, relative links); secure: a secure context, like https;
 * supportFetchAPI: the renderer may fetch its own assets. No CSP bypass, no CORS, no service workers.
 */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: {
    standard: true,
    secure: true,
    supportFetchAPI: true,
    bypassCSP: false,
    corsEnabled: false,
    allowServiceWorkers: false,
    stream: false,
  },
} as const;

/** True only for URLs of our own app:// origin (any path). Anything unparsable is foreign. */
export function isAppOriginUrl(url: unknown): boolean {
  if (typeof url !== 'string') return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    // Chromium lowercases a standard scheme's host; Node's parser (in tests) does not.
    parsed.host.toLowerCase() === APP_HOST &&
    parsed.username === '' &&
    parsed.password === ''
  );
}
