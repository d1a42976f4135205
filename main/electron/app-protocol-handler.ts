// Read through the fs object at call time, so Electron's asar patch applies (see the resolver).
import fs from 'node:fs';
import { resolveAppRequest } from './app-request-resolver.js';
import { APP_SECURITY_HEADERS } from './content-security-policy.js';

/**
 * The app:// handler given to Electron's `protocol.handle`: fetch-style Request in, Response out.
 * It serves only what resolveAppRequest allows, always with the CSP and nosniff headers, and answers
 * refusals with a bare status (the reason stays in the main process; the page learns nothing of the
 * file system).
 */
const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad request',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
};

function refusal(status: 400 | 403 | 404 | 405): Response {
  return new Response(STATUS_TEXT[status] ?? 'Refused', {
    status,
    headers: { ...APP_SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' },
  });
}

export type AppProtocolHandler = (request: Request) => Promise<Response>;

export function createAppProtocolHandler(
  rootDir: string,
  onRefused?: (url: string, status: number, reason: string) => void,
): AppProtocolHandler {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      onRefused?.(request.url, 405, 'method not allowed');
      return refusal(405);
    }
    const resolution = await resolveAppRequest(request.url, rootDir);
    if (resolution.kind === 'rejected') {
      onRefused?.(request.url, resolution.status, resolution.reason);
      return refusal(resolution.status);
    }
    let body: Buffer;
    try {
      body = await fs.promises.readFile(resolution.path);
    } catch {
      onRefused?.(request.url, 404, 'file vanished before it was read');
      return refusal(404);
    }
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: {
        ...APP_SECURITY_HEADERS,
        'Content-Type': resolution.mimeType,
        'Content-Length': String(body.byteLength),
        // The build folder changes only with an app update; revalidate rather than trust a stale copy.
        'Cache-Control': 'no-cache',
      },
    });
  };
}
