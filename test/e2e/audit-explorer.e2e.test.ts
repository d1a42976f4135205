import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditCheckpointView } from '../../shared/contract/ops/checkpoint-ops.js';
import type { ExceptionDetail, ExceptionPage, ExceptionSummary } from '../../shared/domain/exception.js';
import type { Flow } from '../../shared/domain/flow.js';
import type { Run } from '../../shared/domain/run.js';
import { DEMO_FLOW_NAMES } from '../peers/demo/seed-demo-clinic.js';
import { DEMO_BAD_RECORDS } from '../peers/fhir/clinic-catalogue.js';
import { launchChromium, SCREENSHOT_DIR } from '../support/browser.js';
import { pdfText } from '../support/pdf-text.js';
import { makeTempDir } from '../support/temp-dir.js';
import { HttpSession } from '../support/test-http.js';
import { until } from '../support/until.js';
import { demoPasswords, startDemoProcess, type DemoProcess } from './demo-process.js';

/**
 * An auditor's walk through the audit and lineage explorer (issue 13, item 4), in Chromium against the
 * demo clinic: a viewer searches, filters, opens a row, follows an exception's lineage, exports CSV and
 * prints the period's report; the PDF's own text carries the checkpoint and the verification lines.
 */
const AUDITOR = { username: 'audrey', displayName: 'Audrey Auditor', password: 'auditor-walk-e2e-pass' };
// Unique per run: finding it can only mean this run's note was found.
const NOTE = `Checked with the ward ${Date.now().toString(36)}`;
const MISSING_PATIENT = DEMO_BAD_RECORDS.missingPatient.ref;
const FINISHED = new Set(['succeeded', 'completed-with-failures', 'failed', 'cancelled', 'interrupted']);

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

describe('the audit explorer, walked by an auditor in Chromium', () => {
  let data: ReturnType<typeof makeTempDir>;
  let demo: DemoProcess;
  let browser: Browser;
  let page: Page;
  let admin: HttpSession;
  let exception: ExceptionSummary;

  const table = () => page.locator('table.audit-table');
  const auditRow = (text: string) => table().getByRole('row').filter({ hasText: text });
  const actions = () => table().locator('td.col-action code').allTextContents();
  const shot = (name: string) =>
    page.screenshot({ path: join(SCREENSHOT_DIR, `audit-explorer-${name}.png`), fullPage: true });

  async function applyFilters(fields: Record<string, string>): Promise<void> {
    await page
      .getByRole('button', { name: 'Clear' })
      .click({ timeout: 1000 })
      .catch(() => undefined);
    for (const [label, value] of Object.entries(fields)) {
      const field = page.getByRole('form', { name: 'Audit filters' }).getByLabel(label, { exact: true });
      if (label === 'Outcome') await field.selectOption(value);
      else await field.fill(value);
    }
    await page.getByRole('button', { name: 'Apply filters' }).click();
  }

  beforeAll(async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    data = makeTempDir('osc-e2e-audit-explorer-');
    demo = await startDemoProcess(data.dir);
    admin = await HttpSession.signedIn(demo.url, 'admin', demoPasswords(demo.output()).admin);
    // The demo has no auditor: the administrator creates a viewer, as a clinic would.
    await admin.value('operators.create', { ...AUDITOR, roles: ['viewer'] });
    const flows = await admin.value<Flow[]>('flows.list', {});
    const byName = (name: string) => flows.find((flow) => flow.name === name)!;
    await runToEnd(admin, byName(DEMO_FLOW_NAMES.patients));
    await runToEnd(admin, byName(DEMO_FLOW_NAMES.supplyConsumption));
    // The demo seeds failing records; the auditor follows the supply use that named no patient. A
    // finance user edited and replayed it (a new, corrected record), so its lineage has a write to show.
    const open = await admin.value<ExceptionPage>('exceptions.list', { text: MISSING_PATIENT, limit: 10 });
    exception = open.items[0]!;
    expect(exception).toBeDefined();
    await admin.value('exceptions.note', { id: exception.id, text: NOTE });
    const detail = await admin.value<ExceptionDetail>('exceptions.get', { id: exception.id });
    await admin.value('exceptions.replay', {
      id: exception.id,
      sourcePayload: {
        ...(detail.sourcePayload as Record<string, unknown>),
        patient: { reference: 'Patient/pat-001' },
      },
    });
    await until(
      'the replayed record to be written',
      async () => {
        const now = await admin.value<ExceptionDetail>('exceptions.get', { id: exception.id });
        return now.state === 'resolved' ? true : null;
      },
      60_000,
    );
    // A refusal for the log: the viewer may not create operators.
    const viewer = await HttpSession.signedIn(demo.url, AUDITOR.username, AUDITOR.password);
    const refused = await viewer.op('operators.create', {
      username: 'mallory',
      displayName: 'Mallory',
      password: 'not-allowed-at-all-42',
      roles: ['administrator'],
    });
    expect(refused.json.ok).toBe(false);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
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

  it('signs in as a viewer; the log hides page views by default and shows them on request', async () => {
    await page.goto(demo.url);
    await page.getByLabel('Username').fill(AUDITOR.username);
    await page.getByLabel('Password').fill(AUDITOR.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await auditRow('exceptions.note').first().waitFor();
    // Reading this very page was audited (audit.list): a page view, kept out of sight by default.
    expect(await page.getByLabel('Show page views').isChecked()).toBe(false);
    expect(await actions()).not.toContain('audit.list');
    await shot('log');

    await page.getByLabel('Show page views').check();
    await expect.poll(actions).toContain('audit.list');
    await page.getByLabel('Show page views').uncheck();
    await expect.poll(actions).not.toContain('audit.list');
  });

  it('searches free text, expands the row and reads names instead of ids', async () => {
    await applyFilters({ Search: NOTE });
    const row = auditRow('exceptions.note');
    await row.waitFor();
    await expect.poll(() => table().getByRole('row').count()).toBe(2); // the header and the one match
    // The target is named (flow: source record), the raw id kept aside.
    expect(await row.textContent()).toContain(exception.sourceId);
    await row.getByRole('button', { name: /Show detail of row \d+/ }).click();
    await expect.poll(() => row.getByRole('button').getAttribute('aria-expanded')).toBe('true');
    const detail = page.locator('.audit-detail');
    await detail.waitFor();
    const text = (await detail.textContent()) ?? '';
    expect(text).toContain(NOTE);
    expect(text).toContain('Exception');
    expect(text).toContain(`${DEMO_FLOW_NAMES.supplyConsumption}: ${exception.sourceId}`);
    expect(text).toMatch(/Row hash [0-9a-f]{64}/);
    await shot('expanded');
  });

  it('follows the exception row to its lineage, then follows a record both ways by clicking', async () => {
    await page
      .locator('.audit-detail')
      .getByRole('link', { name: /^Follow lineage/ })
      .click();
    await page.getByRole('heading', { name: 'Lineage' }).waitFor();
    expect(await page.getByLabel('Source record id').inputValue()).toBe(exception.sourceId);
    // The replay wrote the corrected record: its lineage names the flow and the Odoo record it became.
    const written = page.getByRole('table', { name: `What source record ${exception.sourceId} became` });
    await written.waitFor();
    const trail = (await written.textContent()) ?? '';
    expect(trail).toContain(exception.sourceId);
    expect(trail).toContain(DEMO_FLOW_NAMES.supplyConsumption);
    expect(trail).toMatch(/created|updated/);
    await shot('lineage');

    await page.getByLabel('Source record id').fill('Patient/pat-001');
    await page.getByLabel('Source type').fill('');
    await page.getByRole('button', { name: 'Find what it became' }).click();
    const became = page.getByRole('table', { name: 'What source record Patient/pat-001 became' });
    await became.waitFor();
    // Names, not ids: the flow as the clinic calls it.
    expect(await became.textContent()).toContain(DEMO_FLOW_NAMES.patients);
    await became
      .getByRole('button', { name: /^Where res\.partner record .* came from$/ })
      .first()
      .click();
    const origin = page.getByRole('table', { name: 'Where res.partner record came from' });
    await origin.waitFor();
    expect(await origin.textContent()).toContain('Patient/pat-001');
  });

  it('filters by outcome and operator, and by action family', async () => {
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await applyFilters({ Operator: AUDITOR.username, Outcome: 'denied' });
    await auditRow('operators.create').waitFor();
    const outcomes = await table().locator('td.col-outcome').allTextContents();
    expect(outcomes.length).toBeGreaterThan(0);
    expect(new Set(outcomes)).toEqual(new Set(['Denied']));
    await shot('denied');

    await applyFilters({ Action: 'exceptions' });
    await auditRow('exceptions.note').waitFor();
    for (const action of await actions()) expect(action.startsWith('exceptions.')).toBe(true);
  });

  it('exports the filtered rows as CSV', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^audit-.+\.csv$/);
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv.split('\r\n')[0]).toBe('seq,at,operator,action,object,target,outcome,detail,hash');
    const line = csv.split('\r\n').find((one) => one.includes(NOTE));
    expect(line).toContain('exceptions.note');
    expect(line).toContain(exception.id);
    await page.getByText(/^Exported \d+ rows to audit-/).waitFor();
  });

  it('prints the report of the period with the chain verification and the latest signed checkpoint', async () => {
    const signed = await admin.value<AuditCheckpointView>('audit.checkpoint', {});
    await page.getByRole('button', { name: 'Printable report' }).click();
    await page.getByRole('heading', { name: 'Audit report' }).waitFor();
    // The newest checkpoint: this one, or a scheduled one signed since (never an older one).
    const line = page.getByText(/^Latest signed checkpoint #\d+: row #\d+, /);
    await line.waitFor({ timeout: 60_000 });
    const shown = (await line.textContent()) ?? '';
    const [, id, seq] = /^Latest signed checkpoint #(\d+): row #(\d+), /.exec(shown) ?? [];
    expect(Number(id)).toBeGreaterThanOrEqual(signed.id);
    expect(Number(seq)).toBeGreaterThanOrEqual(signed.checkpoint.seq);
    expect(shown).toMatch(/, matches the log$/);
    const checkpoint = `Latest signed checkpoint #${id}: row #${seq}`;
    await page.getByText(/^Chain verified: [\d,]+ rows, head #\d+$/).waitFor();
    // Not in the navigation, though the viewer may open it.
    expect(await page.getByRole('navigation', { name: 'Main' }).textContent()).not.toContain('report');
    await shot('report');

    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4' });
    const { text } = await pdfText(pdf);
    expect(text).toContain(checkpoint);
    if (Number(id) === signed.id) expect(text.replace(/\s/g, '')).toContain(signed.checkpoint.headHash);
    expect(text).toMatch(/matches the log/);
    expect(text).toMatch(/Chain verified: [\d,]+ rows, head #\d+/);
    expect(text).toContain('exceptions.note');
    // The console's frame and the buttons stay off the paper.
    expect(text).not.toContain('Sign out');
    expect(text).not.toContain('Print / Save as PDF');
    await page.emulateMedia({ media: 'screen' });
  });
});
