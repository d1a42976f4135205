/**
 * Content types for what Vite puts in dist/renderer. Served with `X-Content-Type-Options: nosniff`,
 * so a wrong type would break the page rather than let the browser guess; unknown extensions get a
 * type no browser executes.
 */
const MIME_BY_EXTENSION: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

export const FALLBACK_MIME_TYPE = 'application/octet-stream';

/** `extension` includes the dot, any case: ".JS" → text/javascript. */
export function mimeTypeFor(extension: string): string {
  const key = extension.toLowerCase();
  return Object.hasOwn(MIME_BY_EXTENSION, key)
    ? (MIME_BY_EXTENSION[key] ?? FALLBACK_MIME_TYPE)
    : FALLBACK_MIME_TYPE;
}
