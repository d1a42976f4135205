import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeychainVault } from '../../main/vault/keychain-vault.js';
import { launchChromium, SCREENSHOT_DIR } from '../support/browser.js';
import { startServeProcess, type ServeProcess } from '../support/serve-process.js';
import { makeTempDir } from '../support/temp-dir.js';

const ADMIN = { username: 'clinic-admin', displayName: 'Clinic Admin', password: 'e2e admin password 42' };
// Unique per run, so finding it anywhere can only mean it leaked from this run.
const SECRET = `odoo-api-key-${Date.now().toString(36)}-E2E-${Math.random().toString(36).slice(2)}`;

/** Every file under a folder, recursively (the store, its WAL, backups, the audit anchor, logs). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

describe('the console in Chromium against `osc serve`', () => {
  let data: ReturnType<typeof makeTempDir>;
  let server: ServeProcess;
  let browser: Browser;
  let page: Page;
  const apiBodies: string[] = [];
  const pageContents: string[] = [];

  async function snapshot(name: string): Promise<void> {
    pageContents.push(await page.content());
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
  }

  beforeAll(async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    data = makeTempDir('osc-e2e-');
    server = await startServeProcess(data.dir);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(10_000);
    page.on('response', (response) => {
      const type = response.headers()['content-type'] ?? '';
      if (response.url().includes('/api/') && !type.includes('event-stream')) {
        response.text().then(
          (text) => apiBodies.push(text),
          () => undefined,
        );
      }
    });
  });

  afterAll(async () => {
    // Any of these may be missing when beforeAll failed part-way.
    const state = { browser, server, data } as Partial<{
      browser: Browser;
      server: ServeProcess;
      data: typeof data;
    }>;
    await state.browser?.close();
    await state.server?.stop();
    state.data?.cleanup();
  });

  it('runs first-run setup, signs out and in again', async () => {
    await page.goto(server.url);
    await page.getByLabel('Username').fill(ADMIN.username);
    await page.getByLabel('Display name').fill(ADMIN.displayName);
    await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await page.getByLabel('Confirm password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Create administrator' }).click();
    // Signed in, the console opens on the overview.
    await page.getByRole('heading', { name: 'Overview' }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await snapshot('sign-in');
    await page.getByLabel('Username').fill(ADMIN.username);
    await page.getByLabel('Password').fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Wrong username or password.').waitFor();
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.getByRole('link', { name: 'Connections', exact: true }).click();
    await page.getByRole('heading', { name: 'Connections' }).waitFor();
  });

  it('creates an Odoo connection and stores its secret in the keychain', async () => {
    await page.getByRole('button', { name: 'New connection' }).click();
    await page.getByLabel('Kind').selectOption({ label: 'Odoo' });
    await page.getByLabel('Name', { exact: true }).fill('Clinic Odoo');
    await page.getByLabel('Base URL').fill('https://odoo.clinic.example');
    await page.getByLabel('Database').fill('clinic');
    await page.getByLabel('Login').fill('sync-bot');
    await page.getByRole('button', { name: 'Save connection' }).click();
    const row = page.getByRole('row').filter({ hasText: 'Clinic Odoo' });
    await row.waitFor();
    await expect.poll(() => row.textContent()).toContain('Not set');

    await row.getByRole('button', { name: /Set secret/ }).click();
    await page.getByLabel('Secret', { exact: true }).fill(SECRET);
    await page.getByRole('button', { name: 'Save secret' }).click();
    await page.getByText('Secret stored in the OS keychain').waitFor();
    await page.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => row.textContent()).toMatch(/Set ·/);
    await snapshot('connections');
  });

  it('shows both actions, with the operator, on the Audit page', async () => {
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    const create = page.getByRole('row').filter({ hasText: 'connections.create' });
    const secret = page.getByRole('row').filter({ hasText: 'connections.setSecret' });
    await create.first().waitFor();
    await secret.first().waitFor();
    expect(await create.first().textContent()).toContain(ADMIN.username);
    expect(await secret.first().textContent()).toContain(ADMIN.username);
    await page.getByRole('button', { name: 'Verify chain' }).click();
    await page.getByText(/Chain verified: \d+ rows/).waitFor();
    await snapshot('audit');
  });

  it('the secret is in the OS keychain and nowhere else', async () => {
    // In the keychain, under this store's id.
    const db = new Database(join(data.dir, 'osc.sqlite'), { readonly: true });
    const storeId = db
      .prepare<[], { value: string }>("SELECT value FROM settings WHERE key = 'store_id'")
      .get()?.value;
    const connectionId = db.prepare<[], { id: string }>('SELECT id FROM connections').get()?.id;
    db.close();
    expect(storeId && connectionId).toBeTruthy();
    const vault = new KeychainVault({ namespace: storeId!, service: 'odoo-sync-console' });
    expect(await vault.read(connectionId!)).toBe(SECRET);

    // Not in any file of the data folder (SQLite, WAL, backups, audit anchor).
    const files = filesUnder(data.dir);
    expect(files.some((file) => file.endsWith('osc.sqlite'))).toBe(true);
    for (const file of files) expect(readFileSync(file).includes(SECRET), file).toBe(false);
    // Not in the server's log output, any API response, the page, or browser storage.
    expect(server.output().length).toBeGreaterThan(0);
    expect(server.output()).not.toContain(SECRET);
    expect(apiBodies.length).toBeGreaterThan(5);
    for (const body of apiBodies) expect(body).not.toContain(SECRET);
    pageContents.push(await page.content());
    for (const html of pageContents) expect(html).not.toContain(SECRET);
    const storage = await page.evaluate(() =>
      JSON.stringify([localStorage, sessionStorage].map((store) => Object.entries(store))),
    );
    expect(storage).not.toContain(SECRET);
    await vault.delete(connectionId!);
  });

  it('wrote the screenshots the README names', () => {
    for (const name of ['sign-in', 'connections', 'audit']) {
      expect(existsSync(join(SCREENSHOT_DIR, `${name}.png`)), name).toBe(true);
    }
  });
});
