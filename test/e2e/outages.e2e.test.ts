import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../shared/domain/connection.js';
import type { FallbackEntry } from '../../shared/domain/fallback.js';
import type { Flow } from '../../shared/domain/flow.js';
import type { OutagesOverview } from '../../shared/domain/outage.js';
import type { Run } from '../../shared/domain/run.js';
import { DEMO_FLOW_NAMES } from '../peers/demo/seed-demo-clinic.js';
import { SUPPLY_ITEMS } from '../peers/fhir/clinic-catalogue.js';
import { launchChromium, SCREENSHOT_DIR } from '../support/browser.js';
import { makeTempDir } from '../support/temp-dir.js';
import { HttpSession } from '../support/test-http.js';
import { until } from '../support/until.js';
import { demoPasswords, startDemoProcess, type DemoProcess } from './demo-process.js';

/**
 * The administrator's outage walk on `npm run demo` (issue 11): switch Odoo to degraded mode with a
 * reason, enter a supply use by hand while it is down (it waits in the outbox, the banner shows the
 * exposure), switch degraded mode off and watch the replay send it. The same steps as the demo's
 * finance user are refused by the server, not only hidden.
 */
const FINISHED = new Set(['succeeded', 'completed-with-failures', 'failed', 'cancelled', 'interrupted']);
const GLOVES = SUPPLY_ITEMS[0]!;
const REASON = 'Odoo upgrade 17.0 → 17.0.1 tonight';

describe('outage operations in Chromium against the demo clinic', () => {
  let data: ReturnType<typeof makeTempDir>;
  let demo: DemoProcess;
  let browser: Browser;
  let page: Page;
  let admin: HttpSession;
  let finance: HttpSession;
  let odoo: Connection;
  let supplies: Flow;

  beforeAll(async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    data = makeTempDir('osc-e2e-outages-');
    demo = await startDemoProcess(data.dir);
    const passwords = demoPasswords(demo.output());
    admin = await HttpSession.signedIn(demo.url, 'admin', passwords.admin);
    finance = await HttpSession.signedIn(demo.url, 'finance', passwords.finance);
    const connections = await admin.value<Connection[]>('connections.list', {});
    odoo = connections.find((connection) => connection.name === 'Clinic Odoo')!;
    const flows = await admin.value<Flow[]>('flows.list', {});
    supplies = flows.find((flow) => flow.name === DEMO_FLOW_NAMES.supplyConsumption)!;
    // The demo's first runs settle first, so the walk's replay is the only run left to watch.
    await until(
      'the demo first runs',
      async () => {
        const runs = await admin.value<Run[]>('runs.list', { limit: 50 });
        return runs.every((run) => FINISHED.has(run.status)) ? true : null;
      },
      180_000,
    );
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(15_000);
  }, 300_000);

  afterAll(async () => {
    const state = { browser, demo, data } as Partial<{
      browser: Browser;
      demo: DemoProcess;
      data: typeof data;
    }>;
    await state.browser?.close();
    await state.demo?.stop();
    state.data?.cleanup();
  }, 30_000);

  it('as a finance user, the server refuses degraded mode, manual entries and the switch-off', async () => {
    const degrade = await finance.op('outages.degrade', { connectionId: odoo.id, reason: REASON });
    expect(degrade.status).toBe(403);
    const enter = await finance.op('fallback.enter', {
      flowId: supplies.id,
      values: { encounter: 'Encounter/enc-0001' },
      reason: 'trying',
    });
    expect(enter.status).toBe(403);
    expect(enter.json.error?.code).toBe('forbidden');
    const restore = await finance.op('outages.restore', { connectionId: odoo.id });
    expect(restore.status).toBe(403);
    // Nothing changed: Odoo is not degraded and nothing waits.
    const overview = await admin.value<OutagesOverview>('outages.overview', {});
    expect(overview.exposure.down).toEqual([]);
    // The refusals are in the audit log under the finance user.
    const audit = await admin.value<{ entries: { action: string; outcome: string; actor: string }[] }>(
      'audit.list',
      { action: 'outages.degrade', limit: 5 },
    );
    expect(audit.entries.some((entry) => entry.outcome === 'denied')).toBe(true);
  });

  it('as finance in the browser, the Outages page shows the state but no switch', async () => {
    const passwords = demoPasswords(demo.output());
    await page.goto(demo.url);
    await page.getByLabel('Username').fill('finance');
    await page.getByLabel('Password').fill(passwords.finance);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Outages' }).click();
    await page.getByRole('heading', { name: 'Outages', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Clinic Odoo', exact: true }).waitFor();
    expect(await page.getByRole('button', { name: 'Switch to degraded mode' }).count()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'outages-finance.png'), fullPage: true });
    await page
      .getByRole('button', { name: /Sign out|Log out/ })
      .first()
      .click();
  });

  it('as the administrator: degraded mode on, a supply use entered by hand, degraded mode off, replayed', async () => {
    const passwords = demoPasswords(demo.output());
    // A page of its own (its own cookies): the finance user's session stays out of it.
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(15_000);
    await page.goto(demo.url);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(passwords.admin);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Outages' }).click();
    await page.getByRole('heading', { name: 'Outages', level: 1 }).waitFor();

    // Degraded mode on, with the reason.
    const card = page.getByRole('region', { name: 'Clinic Odoo' });
    await card.getByRole('button', { name: 'Switch to degraded mode' }).click();
    const dialog = page.getByRole('dialog', { name: 'Degraded mode for Clinic Odoo' });
    await dialog.getByLabel('Reason for switching').fill(REASON);
    await dialog.getByRole('button', { name: 'Switch to degraded mode' }).click();
    const banner = page.getByRole('region', { name: 'Outage', exact: true });
    await banner.waitFor();
    await expect.poll(() => banner.textContent()).toContain('Clinic Odoo');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'outages-degraded.png'), fullPage: true });

    // A supply use written on paper, entered by hand: it waits in the outbox.
    await page.getByLabel('Flow', { exact: true }).selectOption({ label: DEMO_FLOW_NAMES.supplyConsumption });
    const form = page.getByRole('form', {
      name: `Manual transaction for ${DEMO_FLOW_NAMES.supplyConsumption}`,
    });
    await form.getByLabel('Encounter (required)').fill('Encounter/enc-0042');
    await form.getByLabel('Patient (required)').fill('Patient/pat-001');
    await form.getByLabel('Supply code (required)').fill(GLOVES.code);
    await form.getByLabel('Supply (required)').fill(GLOVES.display);
    await form.getByLabel('Quantity (required)').fill('2');
    await form.getByLabel('Location', { exact: true }).fill('Location/loc-1');
    await form.getByLabel('Time of use (required)').fill('2026-12-02T09:15');
    await form.getByLabel('Why entered by hand').fill('EHR tablet offline on ward 2; paper sheet 14');
    await form.getByRole('button', { name: 'Enter transaction' }).click();
    await form.getByText(/Entered under/).waitFor();
    const waiting = await admin.value<OutagesOverview>('outages.overview', {});
    expect(waiting.exposure.waiting, JSON.stringify(waiting.outbox)).toBe(1);
    await expect.poll(() => banner.textContent()).toMatch(/1 write waiting in the outbox/);
    const [entry] = await admin.value<FallbackEntry[]>('fallback.list', { flowId: supplies.id });
    expect(entry).toMatchObject({ state: 'queued', enteredBy: expect.any(String) as unknown });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'outages-fallback-queued.png'), fullPage: true });

    // Degraded mode off: the replay sends the entry, and the banner goes.
    await card.getByRole('button', { name: 'Switch degraded mode off' }).click();
    const off = page.getByRole('dialog', { name: 'End degraded mode for Clinic Odoo' });
    await off.getByRole('button', { name: 'Switch degraded mode off' }).click();
    await until(
      'the entry replayed',
      async () => {
        const [now] = await admin.value<FallbackEntry[]>('fallback.list', { flowId: supplies.id });
        return now?.state === 'sent' ? now : null;
      },
      60_000,
    );
    await expect.poll(() => banner.count(), { timeout: 20_000 }).toBe(0);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'outages-replayed.png'), fullPage: true });
    const overview = await admin.value<OutagesOverview>('outages.overview', {});
    expect(overview.exposure).toMatchObject({ waiting: 0, down: [] });

    // Audited with who and why.
    const audit = await admin.value<{ entries: { action: string; outcome: string; detail: unknown }[] }>(
      'audit.list',
      { limit: 200 },
    );
    const actions = audit.entries.map((row) => `${row.action}:${row.outcome}`);
    expect(actions).toEqual(
      expect.arrayContaining(['outages.degrade:ok', 'fallback.enter:ok', 'outages.restore:ok']),
    );
    expect(
      JSON.stringify(
        audit.entries.find((row) => row.action === 'outages.degrade' && row.outcome === 'ok')?.detail,
      ),
    ).toContain(REASON);
  });
});
