import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAppProtocolHandler } from '../../../main/electron/app-protocol-handler.js';
import { CONTENT_SECURITY_POLICY } from '../../../main/electron/content-security-policy.js';

let sandbox: string;
let root: string;
let refusals: { url: string; status: number; reason: string }[];

beforeEach(() => {
  sandbox = mkdtempSync(path.join(tmpdir(), 'osc-app-handler-'));
  root = path.join(sandbox, 'renderer');
  mkdirSync(path.join(root, 'assets'), { recursive: true });
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(path.join(root, 'assets', 'main.js'), 'export const x = 1;');
  writeFileSync(path.join(sandbox, 'secret.txt'), 'outside');
  refusals = [];
});

afterEach(() => {
  rmSync(sandbox, { recursive: true, force: true });
});

function handler() {
  return createAppProtocolHandler(root, (url, status, reason) => refusals.push({ url, status, reason }));
}

describe('app:// protocol handler', () => {
  it('serves the page with the CSP, nosniff and its content type', async () => {
    const response = await handler()(new Request('app://console/'));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>console</title>');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
  });

  it('serves an asset byte for byte', async () => {
    const response = await handler()(new Request('app://console/assets/main.js'));
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await response.text()).toBe('export const x = 1;');
    expect(response.headers.get('content-length')).toBe('19');
  });

  it('answers HEAD without a body', async () => {
    const response = await handler()(new Request('app://console/assets/main.js', { method: 'HEAD' }));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it.each(['POST', 'PUT', 'DELETE'])('refuses %s with 405', async (method) => {
    const response = await handler()(new Request('app://console/index.html', { method, body: 'x' }));
    expect(response.status).toBe(405);
    expect(refusals[0]?.status).toBe(405);
  });

  it('refuses traversal with a bare status, logs the reason, leaks nothing, still sends the CSP', async () => {
    // new Request() would normalize "..", as Chromium does; a raw-URL request shows the guard itself.
    const request = { method: 'GET', url: 'app://console/%2e%2e/secret.txt' } as unknown as Request;
    const response = await handler()(request);
    expect(response.status).toBe(400);
    const body = await response.text();
    expect(body).toBe('Bad request');
    expect(body).not.toContain(sandbox);
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(refusals).toEqual([
      { url: 'app://console/%2e%2e/secret.txt', status: 400, reason: 'dot segment or hidden file' },
    ]);
  });

  it('refuses another host with 403 and a missing asset with 404', async () => {
    expect((await handler()(new Request('app://evil/index.html'))).status).toBe(403);
    expect((await handler()(new Request('app://console/assets/gone.js'))).status).toBe(404);
  });
});
