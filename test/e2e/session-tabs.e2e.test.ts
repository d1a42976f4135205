import { request } from 'node:http';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { startServeProcess, type ServeProcess } from '../support/serve-process.js';
import { makeTempDir } from '../support/temp-dir.js';

const ADMIN = { username: 'tabs-admin', displayName: 'Tabs Admin', password: 'e2e tabs password 42' };
const CONFIGURED_HOST = 'console.clinic.test';

/** One request with the Host header we choose, as a page behind a rebound DNS name would send it. */
function statusWithHost(url: string, host: string): Promise<{ status: number; body: string }> {
  const { port } = new URL(url);
  return new Promise((done, fail) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/api/ops/session.status',
        method: 'POST',
        headers: { host, 'content-type': 'application/json' },
        timeout: 5000,
      },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => done({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', fail);
    req.end('{}');
  });
}

/** A write through the console's own UI: a new Odoo connection, which must then be listed. */
async function createConnection(page: Page, name: string): Promise<void> {
  await page.getByRole('link', { name: 'Connections', exact: true }).click();
  await page.getByRole('heading', { name: 'Connections' }).waitFor();
  await page.getByRole('button', { name: 'New connection' }).click();
  await page.getByLabel('Kind').selectOption({ label: 'Odoo' });
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Base URL').fill('https://odoo.clinic.example');
  await page.getByLabel('Database').fill('clinic');
  await page.getByLabel('Login').fill('sync-bot');
  await page.getByRole('button', { name: 'Save connection' }).click();
  await page.getByRole('row').filter({ hasText: name }).waitFor();
}

describe('one session across reloads and tabs, in Chromium against `osc serve`', () => {
  // Undefined until beforeAll got that far: teardown closes what was opened.
  let data: ReturnType<typeof makeTempDir> | undefined;
  let server: ServeProcess | undefined;
  let browser: Browser | undefined;
  let url = '';
  let context: BrowserContext;
  let first: Page;
  let second: Page;

  beforeAll(async () => {
    data = makeTempDir('osc-e2e-tabs-');
    server = await startServeProcess(data.dir, ['--allowed-host', CONFIGURED_HOST]);
    url = server.url;
    browser = await launchChromium();
    // One context is one browser profile: its tabs share the session cookie, as an operator's do.
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(10_000);
    first = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    data?.cleanup();
  });

  it('stays signed in after a reload and can still write', async () => {
    await first.goto(url);
    const setup: ReadonlyArray<readonly [string, string]> = [
      ['Username', ADMIN.username],
      ['Display name', ADMIN.displayName],
      ['Password', ADMIN.password],
      ['Confirm password', ADMIN.password],
    ];
    for (const [label, value] of setup) await first.getByLabel(label, { exact: true }).fill(value);
    await first.getByRole('button', { name: 'Create administrator' }).click();
    await first.getByRole('heading', { name: 'Overview' }).waitFor();

    await first.reload();
    await first.getByRole('heading', { name: 'Overview' }).waitFor();
    await createConnection(first, 'Written after a reload');
  }, 60_000);

  it('signs a second tab in with the same session, able to write', async () => {
    second = await context.newPage();
    await second.goto(url);
    await second.getByRole('heading', { name: 'Overview' }).waitFor();
    await createConnection(second, 'Written from a second tab');
  }, 60_000);

  it('locks both tabs, and unlocking one tab unlocks the other without a reload', async () => {
    await first.getByRole('button', { name: 'Lock now' }).click();
    await first.getByRole('heading', { name: 'Console locked' }).waitFor();
    await second.getByRole('heading', { name: 'Console locked' }).waitFor();

    await first.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await first.getByRole('button', { name: 'Unlock' }).click();
    await first.getByRole('heading', { name: 'Connections' }).waitFor();
    // No reload: the second tab learns it from the live event stream, within a bounded wait.
    await second.getByRole('heading', { name: 'Connections' }).waitFor({ timeout: 5000 });
    expect(await second.getByRole('heading', { name: 'Console locked' }).isVisible()).toBe(false);
    // And it can write again, so it holds a working session, not only a changed screen.
    await createConnection(second, 'Written after unlocking in the other tab');
  }, 60_000);

  it('signs the other tab out when one tab signs out', async () => {
    await first.getByRole('button', { name: 'Sign out' }).click();
    await first.getByRole('button', { name: 'Sign in' }).waitFor();
    // No reload: the second tab learns it from the live event stream.
    await second.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await second.getByRole('heading', { name: 'Connections' }).isVisible()).toBe(false);
  });

  it('refuses a request for a foreign host name, answers the configured one', async () => {
    const { port } = new URL(url);
    const foreign = await statusWithHost(url, `rebind.attacker.example:${port}`);
    expect(foreign.status).toBe(421);
    expect(foreign.body).toContain('--allowed-host');
    const configured = await statusWithHost(url, `${CONFIGURED_HOST}:${port}`);
    expect(configured.status).toBe(200);
    const loopback = await statusWithHost(url, `localhost:${port}`);
    expect(loopback.status).toBe(200);
  });
});
