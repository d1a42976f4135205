import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FINISHED_RUN_STATUSES } from '../../shared/domain/run.js';
import { OutageEnv, patientVersions } from '../integration/outage/outage-env.js';
import { launchChromium, SCREENSHOT_DIR } from '../support/browser.js';
import { until } from '../support/until.js';

/**
 * A shadow run in Chromium (issue 12, item 3): a real `osc serve` with the FHIR and Odoo emulators,
 * 10 patients written as partners by the active mapping; IT staff save a draft that changes the
 * partner name of one patient, open the mapping's versions and press "Shadow run v2". The report
 * shows exactly that record with the `name` field highlighted, the active and shadow values and
 * Odoo's current value, "Odoo would accept" for it, and Odoo's partners are byte-identical afterwards (its check
 * ran in a load the emulator rolled back, as Odoo does).
 */
const IT = { username: 'ivan', password: 'it-staff-shadow-e2e-pass' };
const ADMIN = { username: 'ada', password: 'admin-shadow-gate-e2e-pass' };

describe('shadow run in Chromium', () => {
  let env: OutageEnv;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    env = await OutageEnv.start({ batchSize: 50 });
    await env.console.operators.admin.value('operators.create', {
      ...IT,
      displayName: 'Ivan IT',
      roles: ['it-staff'],
    });
    await env.console.operators.admin.value('operators.create', {
      ...ADMIN,
      displayName: 'Ada Admin',
      roles: ['administrator'],
    });
    env.addVersions(patientVersions(10, 10, 1));
    const run = await env.runNow();
    await until(
      'the first run ends',
      async () => {
        const found = (await env.runs()).find((one) => one.id === run.id);
        return found !== undefined && FINISHED_RUN_STATUSES.includes(found.status) ? found : null;
      },
      60_000,
    );
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    page.setDefaultTimeout(15_000);
  }, 120_000);

  afterAll(async () => {
    await browser.close();
    await env.close();
  }, 30_000);

  it('IT staff shadow-run a draft from the Mappings page and read the differing field', async () => {
    expect(env.writes).toHaveLength(10);
    const { it: itStaff } = env.console.operators;
    await itStaff.value('mappings.saveDraft', {
      id: env.flow.mappingId,
      spec: {
        key: `"p_" & identifier[system="urn:osc-outage:key"].value`,
        fields: [
          {
            target: 'name',
            expression: '$contains(name[0].family, "K0003") ? "Shadow " & name[0].family : name[0].family',
          },
          { target: 'is_company', expression: 'false' },
        ],
        rules: [],
      },
      note: 'one patient renamed',
    });

    const partners = () =>
      JSON.stringify(
        env.odoo.state.db
          .idsWhere('res.partner', () => true)
          .map((id) => env.odoo.state.db.record('res.partner', id)),
      );
    const before = partners();
    await page.goto(env.console.operators.admin.url);
    await page.getByLabel('Username').fill(IT.username);
    await page.getByLabel('Password').fill(IT.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Mappings' }).click();
    await page.getByRole('button', { name: 'Versions: Patient version → partner' }).click();
    const panel = page.getByRole('region', { name: 'Shadow runs' });
    await panel.getByRole('button', { name: 'Shadow run version 2' }).click();
    const report = panel.getByLabel('Shadow run of version 2');
    await report.getByText(/^clean$/).waitFor({ timeout: 30_000 });
    expect(await report.locator('p').first().innerText()).toMatch(
      /Version 2 against active v1: 10 records, 1 differing, 10 accepted, 0 refused, 0 not mapped\./,
    );
    const fields = await report.locator('mark.shadow-field').allInnerTexts();
    expect(fields).toEqual(['name']);
    const row = report.locator('tr.diff-changed');
    expect(await row.locator('td').allInnerTexts()).toEqual([
      'name',
      '"K0003 v1"',
      '"Shadow K0003 v1"',
      '"K0003 v1"',
    ]);
    await report.getByText('Odoo would accept').waitFor();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'shadow-run-report.png'), fullPage: true });
    // Odoo checked the writes in a load it rolled back: its partners are exactly as before.
    expect(partners()).toBe(before);
  }, 90_000);

  it('an administrator sets the promotion gate on the page; IT staff see it but cannot change it', async () => {
    const panel = page.getByRole('region', { name: 'Shadow runs' });
    // IT staff (signed in by the test before) read the gate but have no control for it.
    await panel.getByText('No promotion gate').waitFor();
    expect(await panel.getByRole('form', { name: 'Promotion gate' }).count()).toBe(0);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Username').fill(ADMIN.username);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Mappings' }).click();
    await page.getByRole('button', { name: 'Versions: Patient version → partner' }).click();
    const gate = panel.getByRole('form', { name: 'Promotion gate' });
    await gate.getByLabel('Clean shadow days before activation').fill('40');
    await gate.getByRole('button', { name: 'Save gate' }).click();
    await gate.getByText(/from 0 \(no gate\) to 30/).waitFor();
    await gate.getByLabel('Clean shadow days before activation').fill('2');
    await gate.getByRole('button', { name: 'Save gate' }).click();
    // The clean run of the first test counts one day for version 2.
    await panel.getByText('Activation needs 2 clean shadow period(s) (days). v2: 1').waitFor();
    const { admin } = env.console.operators;
    const stored = await admin.value('shadow.gate', { mappingId: env.flow.mappingId });
    expect(stored.periodsRequired).toBe(2);
    const audit = await admin.value('audit.list', { action: 'shadow.setGate', limit: 5 });
    expect(audit.entries.map((row) => [row.actor, row.outcome])).toEqual([['ada', 'ok']]);
  }, 60_000);
});
