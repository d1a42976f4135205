import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditPage } from '../../shared/domain/audit.js';
import type { ExceptionPage } from '../../shared/domain/exception.js';
import type { Flow } from '../../shared/domain/flow.js';
import type { Run } from '../../shared/domain/run.js';
import { DEMO_FLOW_NAMES } from '../peers/demo/seed-demo-clinic.js';
import { DEMO_BAD_RECORDS } from '../peers/fhir/clinic-catalogue.js';
import { launchChromium, SCREENSHOT_DIR } from '../support/browser.js';
import { makeTempDir } from '../support/temp-dir.js';
import { HttpSession } from '../support/test-http.js';
import { until } from '../support/until.js';
import { demoPasswords, startDemoProcess, type DemoProcess } from './demo-process.js';

const FINANCE = { username: 'fin', password: 'finance-inbox-e2e-pass' };
const VIEWER = { username: 'vic', password: 'viewer-inbox-e2e-pass' };
const BAD = {
  code: DEMO_BAD_RECORDS.unknownSupplyCode.ref,
  patient: DEMO_BAD_RECORDS.missingPatient.ref,
  price: DEMO_BAD_RECORDS.priceOutsidePolicy.ref,
};
const FINISHED = new Set(['succeeded', 'completed-with-failures', 'failed', 'cancelled', 'interrupted']);

async function value<T>(session: HttpSession, name: string, input: unknown): Promise<T> {
  const answer = await session.op(name, input);
  if (!answer.json.ok) throw new Error(`${name} failed: ${JSON.stringify(answer.json)}`);
  return answer.json.value as T;
}

async function signedIn(url: string, username: string, password: string): Promise<HttpSession> {
  const session = new HttpSession(url);
  await value(session, 'session.login', { username, password });
  return session;
}

/** Runs a flow now (unless a scheduled run of it is going) and waits until its newest run ends. */
async function runToEnd(admin: HttpSession, flow: Flow): Promise<void> {
  await admin.op('flows.runNow', { id: flow.id });
  await until(
    `${flow.name} finishes a run`,
    async () => {
      const runs = await value<Run[]>(admin, 'runs.list', { flowId: flow.id, limit: 1 });
      return runs[0] !== undefined && FINISHED.has(runs[0].status) ? true : null;
    },
    120_000,
  );
}

describe('the exceptions inbox in Chromium against the demo clinic', () => {
  let data: ReturnType<typeof makeTempDir>;
  let demo: DemoProcess;
  let browser: Browser;
  let page: Page;
  let admin: HttpSession;

  const row = (sourceId: string) => page.getByRole('row').filter({ hasText: sourceId });

  beforeAll(async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    data = makeTempDir('osc-e2e-exceptions-');
    demo = await startDemoProcess(data.dir);
    admin = await signedIn(demo.url, 'admin', demoPasswords(demo.output()).admin);
    // The demo has no finance user or viewer: the administrator creates them, as a clinic would.
    await value(admin, 'operators.create', { ...FINANCE, displayName: 'Fiona Finance', roles: ['finance'] });
    await value(admin, 'operators.create', { ...VIEWER, displayName: 'Victor Viewer', roles: ['viewer'] });
    const flows = await value<Flow[]>(admin, 'flows.list', {});
    const byName = (name: string) => flows.find((flow) => flow.name === name)!;
    // Charges name their patients, so the patients' first run (the demo starts it) ends first.
    await runToEnd(admin, byName(DEMO_FLOW_NAMES.patients));
    await runToEnd(admin, byName(DEMO_FLOW_NAMES.supplyConsumption));
    await runToEnd(admin, byName(DEMO_FLOW_NAMES.serviceCharges));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(15_000);
  }, 420_000);

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

  it('lands a finance user on the inbox with the three seeded failures and their count', async () => {
    await page.goto(demo.url);
    await page.getByLabel('Username').fill(FINANCE.username);
    await page.getByLabel('Password').fill(FINANCE.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Exceptions' }).waitFor();
    for (const sourceId of Object.values(BAD)) await row(sourceId).waitFor();
    await expect
      .poll(() => page.getByRole('link', { name: /^Exceptions/ }).textContent())
      .toMatch(/Exceptions\s*\d+/);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'exceptions-inbox.png'), fullPage: true });
  });

  it('opens the price outside policy, explains it, and ignores it with a reason (keyboard)', async () => {
    await row(BAD.price).getByText(BAD.price).click();
    await page.keyboard.press('Enter');
    const pane = page.getByRole('complementary', { name: 'Exception detail' });
    await pane.getByRole('region', { name: 'Source payload' }).waitFor();
    expect(await pane.textContent()).toContain('breaks a validation rule');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'exceptions-detail.png'), fullPage: true });
    await page.keyboard.press('i');
    await pane.getByLabel('Reason', { exact: true }).fill('Price agreed with the insurer by phone');
    await pane.getByRole('button', { name: 'Ignore with this reason' }).click();
    // The inbox shows open exceptions: the ignored one leaves it (the live event refreshes the list).
    await expect.poll(() => row(BAD.price).count(), { timeout: 15_000 }).toBe(0);
  });

  it('assigns the missing-patient record to the finance user and notes it', async () => {
    await row(BAD.patient).getByText(BAD.patient).click();
    await page.getByRole('button', { name: 'Show payloads and history' }).click();
    const pane = page.getByRole('complementary', { name: 'Exception detail' });
    await pane.getByRole('button', { name: 'Assign to me' }).click();
    await expect.poll(() => row(BAD.patient).textContent()).toContain(FINANCE.username);
    await pane.getByRole('button', { name: 'Add note' }).click();
    await pane.getByLabel('Note', { exact: true }).fill('Asked the ward which patient used the gloves');
    await pane.getByRole('button', { name: 'Save note' }).click();
    await pane.getByText('Asked the ward which patient used the gloves').waitFor();
  });

  it('groups the exceptions by signature with counts', async () => {
    await page.getByRole('button', { name: 'Group by signature' }).click();
    const groups = page.getByRole('table', { name: 'Exception groups' });
    await groups.waitFor();
    await expect
      .poll(() => groups.getByRole('button', { name: /^Show these \d+$/ }).count())
      .toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'exceptions-group.png'), fullPage: true });
    await page.getByRole('button', { name: 'List', exact: true }).click();
  });

  it('records each action in the audit log with its operator', async () => {
    const list = await value<ExceptionPage>(admin, 'exceptions.list', { limit: 50 });
    const idOf = (sourceId: string) => list.items.find((item) => item.sourceId === sourceId)!.id;
    expect(list.items.find((item) => item.sourceId === BAD.price)?.state).toBe('ignored');
    for (const [action, sourceId] of [
      ['exceptions.ignore', BAD.price],
      ['exceptions.assign', BAD.patient],
      ['exceptions.note', BAD.patient],
    ] as const) {
      const audit = await value<AuditPage>(admin, 'audit.list', { action, actor: FINANCE.username });
      const entry = audit.entries.find((item) => item.outcome === 'ok');
      expect(entry, action).toBeDefined();
      expect(entry?.target, action).toContain(idOf(sourceId));
    }
  });

  it('shows a viewer the inbox without payloads or actions, and the server refuses their actions', async () => {
    const viewer = await signedIn(demo.url, VIEWER.username, VIEWER.password);
    const list = await value<ExceptionPage>(viewer, 'exceptions.list', {});
    const id = list.items.find((item) => item.sourceId === BAD.code)!.id;
    expect((await viewer.op('exceptions.get', { id })).status).toBe(403);
    expect((await viewer.op('exceptions.ignore', { id, reason: 'not mine to ignore' })).status).toBe(403);
    expect((await viewer.op('exceptions.assign', { id, assignee: VIEWER.username })).status).toBe(403);
    const refused = await value<AuditPage>(admin, 'audit.list', {
      actor: VIEWER.username,
      action: 'exceptions.ignore',
    });
    expect(refused.entries[0]?.outcome).toBe('denied');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Username').fill(VIEWER.username);
    await page.getByLabel('Password').fill(VIEWER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: /^Exceptions/ }).click();
    await row(BAD.code).getByText(BAD.code).click();
    const pane = page.getByRole('complementary', { name: 'Exception detail' });
    await pane.getByText('Payloads and actions are for finance users').waitFor();
    expect(await pane.getByRole('region', { name: 'Source payload' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Assign|Ignore|Add note/ }).count()).toBe(0);
  });
});
