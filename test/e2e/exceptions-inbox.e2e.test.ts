import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditPage } from '../../shared/domain/audit.js';
import type { ExceptionDetail, ExceptionPage } from '../../shared/domain/exception.js';
import type { ExceptionFix } from '../../shared/domain/exception-fix.js';
import type { Flow } from '../../shared/domain/flow.js';
import type { Run } from '../../shared/domain/run.js';
import { DEMO_FLOW_NAMES } from '../peers/demo/seed-demo-clinic.js';
import { SUPPLY_PRODUCTS } from '../peers/demo/demo-mappings.js';
import { DEMO_BAD_RECORDS, SUPPLY_ITEMS } from '../peers/fhir/clinic-catalogue.js';
import { launchChromium, SCREENSHOT_DIR } from '../support/browser.js';
import { makeTempDir } from '../support/temp-dir.js';
import { HttpSession } from '../support/test-http.js';
import { until } from '../support/until.js';
import { demoPasswords, startDemoProcess, type DemoProcess } from './demo-process.js';

/** The demo's own finance user (its password is printed with the others). */
const FINANCE = { username: 'finance', password: '' };
const VIEWER = { username: 'vic', password: 'viewer-inbox-e2e-pass' };
const BAD = {
  code: DEMO_BAD_RECORDS.unknownSupplyCode.ref,
  patient: DEMO_BAD_RECORDS.missingPatient.ref,
  price: DEMO_BAD_RECORDS.priceOutsidePolicy.ref,
};
const FINISHED = new Set(['succeeded', 'completed-with-failures', 'failed', 'cancelled', 'interrupted']);

/** Runs a flow now (unless a scheduled run of it is going) and waits until its newest run ends. */
async function runToEnd(admin: HttpSession, flow: Flow): Promise<void> {
  await admin.op('flows.runNow', { id: flow.id });
  await until(
    `${flow.name} finishes a run`,
    async () => {
      const runs = await admin.value<Run[]>('runs.list', { flowId: flow.id, limit: 1 });
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
    const passwords = demoPasswords(demo.output());
    admin = await HttpSession.signedIn(demo.url, 'admin', passwords.admin);
    FINANCE.password = passwords.finance;
    // The demo has no viewer: the administrator creates one, as a clinic would.
    await admin.value('operators.create', { ...VIEWER, displayName: 'Victor Viewer', roles: ['viewer'] });
    const flows = await admin.value<Flow[]>('flows.list', {});
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

  it('edits the missing-patient record and replays it: the edit passes the active mapping and lands', async () => {
    const pane = page.getByRole('complementary', { name: 'Exception detail' });
    await pane.getByRole('button', { name: 'Edit and replay…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit and replay' });
    const original = dialog.getByRole('region', { name: 'Original record (unchanged)' });
    await original.waitFor();
    expect(await original.textContent()).not.toContain('"patient"');
    // The record has no patient field at all: the finance user adds one in the fields form.
    const addField = async (path: string, text: string) => {
      await dialog.getByLabel('New field path').fill(path);
      await dialog.getByLabel('New field value').fill(text);
      await dialog.getByRole('button', { name: 'Add field' }).click();
    };
    // First an edit that still breaks the rule: refused with the reason, the edit kept.
    await addField('patient.display', 'ward 3');
    await dialog.getByRole('button', { name: 'Replay edited record' }).click();
    await dialog.getByText('The server refused the edited record (your edits are kept):').waitFor();
    expect(await dialog.textContent()).toContain('has-patient');
    expect(await dialog.getByLabel('patient.display').inputValue()).toBe('ward 3');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'exceptions-edit-and-replay.png'), fullPage: true });
    await dialog.getByRole('button', { name: 'Remove' }).click();
    await addField('patient.reference', 'Patient/pat-001');
    await dialog.getByRole('button', { name: 'Replay edited record' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const list = await admin.value<ExceptionPage>('exceptions.list', { text: BAD.patient });
    const id = list.items[0]!.id;
    const replayed = await until(
      'the edited missing-patient record to be replayed and resolved',
      async () => {
        const detail = await admin.value<ExceptionDetail>('exceptions.get', { id });
        return detail.state === 'resolved' ? detail : null;
      },
      60_000,
    );
    // The original stays as it was received; the run that resolved it wrote the record.
    expect((replayed.sourcePayload as Record<string, unknown>).patient).toBeUndefined();
    const run = await admin.value<Run>('runs.get', { id: replayed.resolvedByRun });
    expect(run).toMatchObject({ trigger: 'replay', requestedBy: FINANCE.username });
    expect(run.counts).toMatchObject({ read: 1, written: 1, failed: 0 });
    await expect.poll(() => row(BAD.patient).count(), { timeout: 15_000 }).toBe(0);
  });

  it('fixes the unknown supply code with one click; once an administrator activates it, the record replays by itself', async () => {
    await row(BAD.code).getByText(BAD.code).click();
    await page.getByRole('button', { name: 'Show payloads and history' }).click();
    const pane = page.getByRole('complementary', { name: 'Exception detail' });
    await pane.getByRole('button', { name: 'Map this code…' }).click();
    const form = pane.getByRole('form', { name: 'Map this code' });
    const product = SUPPLY_PRODUCTS[SUPPLY_ITEMS[0]!.code]!;
    await form.getByLabel('Target value').fill(product);
    await form.getByLabel('Note (optional)').fill('Unlisted item is the ward gauze');
    await form.getByRole('button', { name: 'Propose the mapping change' }).click();
    await pane
      .getByRole('status', { name: /^Fix: Waiting for an administrator to approve mapping v\d+/ })
      .waitFor();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'exceptions-fix-awaiting.png'), fullPage: true });

    // The draft is the finance user's; an administrator approves and activates it (four eyes).
    const [fix] = await admin.value<ExceptionFix[]>('exceptions.fixes', {});
    expect(fix).toMatchObject({ kind: 'map-code', state: 'awaiting-approval', createdBy: FINANCE.username });
    await admin.value('mappings.approve', { id: fix!.mappingId, version: fix!.mappingVersion });
    await admin.value('mappings.activate', { id: fix!.mappingId, version: fix!.mappingVersion });

    const list = await admin.value<ExceptionPage>('exceptions.list', { text: BAD.code });
    const id = list.items[0]!.id;
    const resolved = await until(
      'the blocked record to be replayed after the activation',
      async () => {
        const detail = await admin.value<ExceptionDetail>('exceptions.get', { id });
        return detail.state === 'resolved' ? detail : null;
      },
      60_000,
    );
    const run = await admin.value<Run>('runs.get', { id: resolved.resolvedByRun });
    expect(run).toMatchObject({ trigger: 'replay', requestedBy: 'admin' });
    expect(run.counts).toMatchObject({ read: 1, written: 1, failed: 0 });
    const done = await until(
      'the fix to report its replay done',
      async () => {
        const fixes = await admin.value<ExceptionFix[]>('exceptions.fixes', { active: false });
        const mine = fixes.find((candidate) => candidate.id === fix!.id);
        return mine?.state === 'done' ? mine : null;
      },
      30_000,
    );
    expect(done.progress).toMatchObject({ total: 1, resolved: 1, failed: 0, pending: 0 });
    await expect.poll(() => row(BAD.code).count(), { timeout: 15_000 }).toBe(0);
  });

  it('records each action in the audit log with its operator', async () => {
    const list = await admin.value<ExceptionPage>('exceptions.list', { limit: 50 });
    const idOf = (sourceId: string) => list.items.find((item) => item.sourceId === sourceId)!.id;
    expect(list.items.find((item) => item.sourceId === BAD.price)?.state).toBe('ignored');
    for (const [action, sourceId] of [
      ['exceptions.ignore', BAD.price],
      ['exceptions.assign', BAD.patient],
      ['exceptions.note', BAD.patient],
      ['exceptions.replay', BAD.patient],
      ['exceptions.mapCode', BAD.code],
    ] as const) {
      const audit = await admin.value<AuditPage>('audit.list', { action, actor: FINANCE.username });
      const entry = audit.entries.find((item) => item.outcome === 'ok');
      expect(entry, action).toBeDefined();
      expect(entry?.target, action).toContain(idOf(sourceId));
    }
  });

  it('shows a viewer the inbox without payloads or actions, and the server refuses their actions', async () => {
    const viewer = await HttpSession.signedIn(demo.url, VIEWER.username, VIEWER.password);
    const list = await viewer.value<ExceptionPage>('exceptions.list', {});
    const id = list.items.find((item) => item.sourceId === BAD.code)!.id;
    expect((await viewer.op('exceptions.get', { id })).status).toBe(403);
    expect((await viewer.op('exceptions.ignore', { id, reason: 'not mine to ignore' })).status).toBe(403);
    expect((await viewer.op('exceptions.assign', { id, assignee: VIEWER.username })).status).toBe(403);
    expect((await viewer.op('exceptions.retry', { ids: [id] })).status).toBe(403);
    expect((await viewer.op('exceptions.replay', { id, sourcePayload: { id: 'x' } })).status).toBe(403);
    expect((await viewer.op('exceptions.mapCode', { id, value: 'osc_sync.anything' })).status).toBe(403);
    expect((await viewer.op('exceptions.retryWhenReferenced', { id })).status).toBe(403);
    const refused = await admin.value<AuditPage>('audit.list', {
      actor: VIEWER.username,
      action: 'exceptions.ignore',
    });
    expect(refused.entries[0]?.outcome).toBe('denied');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Username').fill(VIEWER.username);
    await page.getByLabel('Password').fill(VIEWER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: /^Exceptions/ }).click();
    // The one-click fix resolved it: the viewer looks among the resolved ones.
    await page.getByLabel('State', { exact: true }).selectOption('resolved');
    await row(BAD.code).getByText(BAD.code).click();
    const pane = page.getByRole('complementary', { name: 'Exception detail' });
    await pane.getByText('Payloads and actions are for finance users').waitFor();
    expect(await pane.getByRole('region', { name: 'Source payload' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Assign|Ignore|Add note/ }).count()).toBe(0);
  });
});
