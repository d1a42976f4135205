import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveAppRequest, type AppResolution } from '../../../main/electron/app-request-resolver.js';

// A renderer build folder inside a sandbox folder; "secret.txt" sits next to the build, outside it.
let sandbox: string;
let root: string;

beforeEach(() => {
  sandbox = mkdtempSync(path.join(tmpdir(), 'osc-app-proto-'));
  root = path.join(sandbox, 'renderer');
  mkdirSync(path.join(root, 'assets'), { recursive: true });
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(path.join(root, 'assets', 'app-1a2b.js'), 'console.log(1)');
  writeFileSync(path.join(root, 'assets', 'app-1a2b.css'), 'body{}');
  writeFileSync(path.join(root, 'assets', 'logo.SVG'), '<svg/>');
  writeFileSync(path.join(root, 'assets', 'data.bin'), 'x');
  writeFileSync(path.join(root, '.env'), 'HIDDEN=1');
  writeFileSync(path.join(sandbox, 'secret.txt'), 'outside the root');
});

afterEach(() => {
  rmSync(sandbox, { recursive: true, force: true });
});

function servedFile(resolution: AppResolution): string {
  if (resolution.kind !== 'file') throw new Error(`expected a file, got ${JSON.stringify(resolution)}`);
  return path.relative(root, resolution.path);
}

describe('resolveAppRequest: what it serves', () => {
  it.each([
    ['app://console/', 'index.html'],
    ['app://console', 'index.html'],
    ['app://console/index.html', 'index.html'],
    ['app://console/connections', 'index.html'],
    ['app://console/connections/42/edit', 'index.html'],
    ['app://console/audit?before=10#row-3', 'index.html'],
    ['app://console/assets/', 'index.html'],
    ['APP://CONSOLE/assets/app-1a2b.js', path.join('assets', 'app-1a2b.js')],
    ['app://console/assets/app-1a2b.js?v=2', path.join('assets', 'app-1a2b.js')],
    ['app://console/assets/%61pp-1a2b.css', path.join('assets', 'app-1a2b.css')],
  ])('%s → %s', async (url, expected) => {
    expect(servedFile(await resolveAppRequest(url, root))).toBe(expected);
  });

  it('gives each file its content type', async () => {
    const types = await Promise.all(
      ['index.html', 'assets/app-1a2b.js', 'assets/app-1a2b.css', 'assets/logo.SVG', 'assets/data.bin'].map(
        async (file) => {
          const resolution = await resolveAppRequest(`app://console/${file}`, root);
          return resolution.kind === 'file' ? resolution.mimeType : resolution.reason;
        },
      ),
    );
    expect(types).toEqual([
      'text/html; charset=utf-8',
      'text/javascript; charset=utf-8',
      'text/css; charset=utf-8',
      'image/svg+xml',
      'application/octet-stream',
    ]);
  });

  it('answers 404 for a missing asset instead of the page (a broken build must show)', async () => {
    expect(await resolveAppRequest('app://console/assets/missing.js', root)).toMatchObject({
      kind: 'rejected',
      status: 404,
    });
  });

  it('answers 404 when the build folder or its index.html is missing', async () => {
    expect(await resolveAppRequest('app://console/', path.join(sandbox, 'nope'))).toMatchObject({
      status: 404,
    });
    rmSync(path.join(root, 'index.html'));
    expect(await resolveAppRequest('app://console/connections', root)).toMatchObject({ status: 404 });
  });
});

describe('resolveAppRequest: hostile URLs', () => {
  it.each([
    'app://console/../secret.txt',
    'app://console/assets/../../secret.txt',
    'app://console/%2e%2e/secret.txt',
    'app://console/%2E%2E/secret.txt',
    'app://console/.%2e/secret.txt',
    'app://console/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    'app://console/..%2fsecret.txt',
    'app://console/..%5csecret.txt',
    'app://console/assets%2f..%2f..%2fsecret.txt',
    'app://console/..\\secret.txt',
    'app://console/assets\\..\\..\\secret.txt',
    'app://console//etc/passwd',
    'app://console/%2fetc%2fpasswd',
    'app://console/C:%5cWindows%5cwin.ini',
    'app://console/C:/Windows/win.ini',
    'app://console/index.html%00.js',
    'app://console/index.html\u0000.js',
    'app://console/index.html%0a',
    'app://console/ index.html',
    'app://console/.env',
    'app://console/./index.html',
    'app://console/index.html.',
    'app://console/NUL.js',
    'app://console/assets/com1',
    'app://console/%E0%A4%A',
    'app://console/%252e%252e/secret.txt',
  ])('refuses %j as a bad request, before touching the disk', async (url) => {
    expect(await resolveAppRequest(url, root)).toMatchObject({ kind: 'rejected', status: 400 });
  });

  it.each([
    'app://evil/index.html',
    'app://console.evil/index.html',
    'app://consolex/index.html',
    'app://console@evil/index.html',
    'app://user:pw@console/index.html',
    'app://console:8080/index.html',
    'https://console/index.html',
    'file:///etc/passwd',
    'app:/console/index.html',
    'app:console/index.html',
    '',
  ])('refuses the foreign origin %j with 403 or 400', async (url) => {
    const resolution = await resolveAppRequest(url, root);
    expect(resolution.kind).toBe('rejected');
    expect(resolution.kind === 'rejected' && [400, 403].includes(resolution.status)).toBe(true);
  });

  it.each([undefined, null, 42, { href: 'app://console/' }, 'app://console/' + 'a'.repeat(5000)])(
    'refuses a non-URL or oversized input (%#)',
    async (url) => {
      expect(await resolveAppRequest(url, root)).toMatchObject({ kind: 'rejected', status: 400 });
    },
  );

  it('refuses a symlink that escapes the root, even though its name looks harmless', async () => {
    symlinkSync(path.join(sandbox, 'secret.txt'), path.join(root, 'assets', 'innocent.js'));
    symlinkSync(sandbox, path.join(root, 'outside'));
    expect(await resolveAppRequest('app://console/assets/innocent.js', root)).toMatchObject({ status: 403 });
    expect(await resolveAppRequest('app://console/outside/secret.txt', root)).toMatchObject({ status: 403 });
    // A route-looking path through the escaping link is refused too, not turned into the page.
    expect(await resolveAppRequest('app://console/outside', root)).toMatchObject({ status: 403 });
  });

  it('follows a symlink that stays inside the root', async () => {
    symlinkSync(path.join(root, 'assets', 'app-1a2b.js'), path.join(root, 'assets', 'alias.js'));
    expect(servedFile(await resolveAppRequest('app://console/assets/alias.js', root))).toBe(
      path.join('assets', 'app-1a2b.js'),
    );
  });

  it('refuses an index.html that is a symlink out of the root', async () => {
    rmSync(path.join(root, 'index.html'));
    symlinkSync(path.join(sandbox, 'secret.txt'), path.join(root, 'index.html'));
    expect(await resolveAppRequest('app://console/', root)).toMatchObject({ status: 403 });
  });

  it('serves from a root given through a symlinked path', async () => {
    const linkedRoot = path.join(sandbox, 'linked-root');
    symlinkSync(root, linkedRoot);
    const resolution = await resolveAppRequest('app://console/assets/app-1a2b.js', linkedRoot);
    expect(resolution.kind).toBe('file');
  });
});
