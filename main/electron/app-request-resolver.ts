// fs.promises read at call time: inside a packaged app the renderer build is in app.asar, and
// Electron's asar support patches these functions on the fs object itself.
import fs from 'node:fs';
import path from 'node:path';
import { APP_HOST, APP_SCHEME } from './app-origin.js';
import { mimeTypeFor } from './mime-types.js';

/**
 * Maps an app:// URL to one file of the renderer build, or refuses it. This is the path-traversal
 * guard: the app:// handler reads only what this function returns.
 *
 * The raw URL is checked segment by segment BEFORE anything normalizes it: the WHATWG URL parser (and
 * Chromium before us) quietly resolves `..` and `%2e%2e`, which would hide an attack instead of
 * refusing it. Then the resolved file's real path (symlinks followed) must still be inside the root.
 */
export type AppResolution =
  | { readonly kind: 'file'; readonly path: string; readonly mimeType: string }
  | { readonly kind: 'rejected'; readonly status: 400 | 403 | 404; readonly reason: string };

const MAX_URL_LENGTH = 4096;
const INDEX_FILE = 'index.html';
/** app://console, then an optional path, then an optional query or fragment (ignored). */
const APP_URL_SHAPE = new RegExp(`^${APP_SCHEME}://${APP_HOST}(/[^?#]*)?(?:[?#].*)?$`, 'i');
/** Controls, space, DEL and backslash never belong in a URL we serve. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point here
const FORBIDDEN_RAW = /[\u0000-\u0020\u007f\\]/;
// eslint-disable-next-line no-control-regex -- same, after percent-decoding
const FORBIDDEN_DECODED = /[\u0000-\u001f\u007f/\\:%]/;
/** Windows device names: reading "root/NUL.js" there opens a device, not a file. */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com\d|lpt\d|conin\$|conout\$)(\..*)?$/i;

function rejected(status: 400 | 403 | 404, reason: string): AppResolution {
  return { kind: 'rejected', status, reason };
}

/** Decoded path segments, or the reason the path is refused. */
function pathSegments(rawPath: string): { segments: string[] } | { reason: string } {
  const rawSegments = rawPath.slice(1).split('/');
  const segments: string[] = [];
  for (const [index, raw] of rawSegments.entries()) {
    if (raw === '') {
      // Only a trailing slash may leave an empty segment; "//" could smuggle an absolute path.
      if (index === rawSegments.length - 1) continue;
      return { reason: 'empty path segment' };
    }
    let decoded: string;
    try {
      decoded = decodeURIComponent(raw);
    } catch {
      return { reason: 'malformed percent-encoding' };
    }
    if (FORBIDDEN_DECODED.test(decoded)) return { reason: 'forbidden character in path' };
    // Leading dot covers ".", "..", "%2e%2e" and hidden files; a trailing dot or space is dropped
    // by Windows, so "index.html." would alias another file.
    if (decoded.startsWith('.') || decoded.endsWith('.') || decoded.endsWith(' ')) {
      return { reason: 'dot segment or hidden file' };
    }
    if (WINDOWS_DEVICE.test(decoded)) return { reason: 'device name in path' };
    segments.push(decoded);
  }
  return { segments };
}

function isInside(rootReal: string, candidate: string): boolean {
  return (
    candidate === rootReal ||
    candidate.startsWith(rootReal.endsWith(path.sep) ? rootReal : rootReal + path.sep)
  );
}

/** The real path of `candidate` if it is a regular file inside the root; otherwise why not. */
async function realFileInside(
  rootReal: string,
  candidate: string,
): Promise<{ file: string } | { missing: true } | { escaped: true } | { notFile: true }> {
  let real: string;
  try {
    real = await fs.promises.realpath(candidate);
  } catch {
    return { missing: true };
  }
  if (!isInside(rootReal, real)) return { escaped: true };
  try {
    const info = await fs.promises.stat(real);
    return info.isFile() ? { file: real } : { notFile: true };
  } catch {
    return { missing: true };
  }
}

async function serveIndex(rootReal: string): Promise<AppResolution> {
  const found = await realFileInside(rootReal, path.join(rootReal, INDEX_FILE));
  if ('file' in found) return { kind: 'file', path: found.file, mimeType: mimeTypeFor('.html') };
  if ('escaped' in found) return rejected(403, 'index.html escapes the root');
  return rejected(404, 'index.html is missing');
}

export async function resolveAppRequest(url: unknown, rootDir: string): Promise<AppResolution> {
  if (typeof url !== 'string' || url.length > MAX_URL_LENGTH) return rejected(400, 'not a URL we serve');
  if (FORBIDDEN_RAW.test(url)) return rejected(400, 'forbidden character in URL');
  const shape = APP_URL_SHAPE.exec(url);
  if (!shape) return rejected(403, 'not the app origin');

  const parsed = pathSegments(shape[1] ?? '/');
  if ('reason' in parsed) return rejected(400, parsed.reason);
  const { segments } = parsed;

  let rootReal: string;
  try {
    rootReal = await fs.promises.realpath(rootDir);
  } catch {
    return rejected(404, 'renderer build is missing');
  }
  const last = segments.at(-1);
  // Client-side routes ("/connections/42") have no extension and get the single-page app.
  const isRoute = last === undefined || path.extname(last) === '';
  if (last === undefined) return serveIndex(rootReal);

  const candidate = path.join(rootReal, ...segments);
  // Cannot fail after the segment checks above; kept so that a future change there fails closed.
  if (!isInside(rootReal, candidate)) return rejected(403, 'path escapes the root');

  const found = await realFileInside(rootReal, candidate);
  if ('file' in found)
    return { kind: 'file', path: found.file, mimeType: mimeTypeFor(path.extname(found.file)) };
  if ('escaped' in found) return rejected(403, 'symlink escapes the root');
  return isRoute ? serveIndex(rootReal) : rejected(404, 'no such file');
}
