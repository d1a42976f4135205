import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FINISHED_RUN_STATUSES, type Run } from '../../shared/domain/run.js';
import { OutageEnv, patientVersions } from '../integration/outage/outage-env.js';
import { launchChromium, SCREENSHOT_DIR } from '../support/browser.js';
import { until } from '../support/until.js';

/**
 * The dashboard in Chromium (issue 12, item 4): a real `osc serve` with the FHIR and Odoo emulators.
 * The flow's row is there with its freshness against a 30-minute objective: red before its first
 * sync, green after it; while a later run reads slow FHIR pages its row shows a moving progress bar
 * with counts and an ETA measured against the first run's size; the sparkline counts what was written.
 */
describe('the dashboard in Chromium', () => {
  let env: OutageEnv;
  let browser: Browser;
  let page: Page;

  const row = () => page.locator(`tr[data-flow-id="${env.flow.id}"]`);
  const runEnds = (run: Run) =>
    until(
      'the run ends',
      async () => {
        const found = (await env.runs()).find((one) => one.id === run.id);
        return found !== undefined && FINISHED_RUN_STATUSES.includes(found.status) ? found : null;
      },
      60_000,
    );

  beforeAll(async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    env = await OutageEnv.start({ batchSize: 20 });
    const { id, state: _s, cursor: _c, lastRunId: _l, lastSuccessAt: _t, ...rest } = env.flow;
    const { createdAt: _ca, createdBy: _cb, updatedAt: _ua, updatedBy: _ub, ...definition } = rest;
    await env.console.operators.it.value('flows.update', {
      id,
      definition: { ...definition, freshnessObjectiveMinutes: 30 },
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(15_000);
    await page.goto(env.console.operators.admin.url);
    const operator = 'dash-it';
    await env.console.operators.admin.value('operators.create', {
      username: operator,
      displayName: 'Dana IT',
      password: 'dashboard-e2e-password',
      roles: ['it-staff'],
    });
    await page.getByLabel('Username').fill(operator);
    await page.getByLabel('Password').fill('dashboard-e2e-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
  }, 120_000);

  afterAll(async () => {
    await browser.close();
    await env.close();
  }, 30_000);

  it('shows the flow with its freshness: red before its first sync, green after', async () => {
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    await row().waitFor();
    expect(await row().locator('th').innerText()).toContain('Patients → partners (outage test)');
    expect(await row().locator('.freshness-dot').getAttribute('class')).toContain('freshness-red');
    expect(await row().locator('.freshness-text').innerText()).toBe(
      'Breached: never synced (objective 30 min)',
    );

    env.addVersions(patientVersions(100, 100, 3));
    await runEnds(await env.runNow());
    // The run's end reads the overview again (throttled): the row turns green by itself.
    await row().locator('.freshness-green').waitFor();
    expect(await row().locator('.freshness-text').innerText()).toMatch(
      /^Fresh: last good sync .* \(objective 30 min\)$/,
    );
    // The run's last progress event is batched (500 ms) and may land after that reload: until it
    // does, the sparkline still shows the live rate. Wait for the history (bounded).
    const throughput = row().locator('.sparkline-throughput');
    const label = await until(
      'the throughput history after the run',
      async () => {
        const text = (await throughput.getAttribute('aria-label')) ?? '';
        return text.includes('(live') ? null : text;
      },
      10_000,
    );
    expect(label).toMatch(/throughput: peak 20 records\/min, latest 20 records\/min$/);
  }, 90_000);

  it('a running flow shows a progress bar with counts and an ETA against its usual run', async () => {
    env.fhir.faults.latencyMs = 400;
    env.addVersions(patientVersions(100, 100, 4, 5000).map((v) => ({ ...v, key: `R${v.key.slice(1)}` })));
    const run = await env.runNow();
    const bar = row().locator('.run-bar');
    await bar.waitFor();
    const progress = bar.getByRole('progressbar', { name: /run progress/ });
    const first = Number(await progress.getAttribute('value'));
    await until(
      'the bar moves',
      async () => (Number(await progress.getAttribute('value')) > first ? true : null),
      20_000,
    );
    expect(await bar.locator('.run-bar-text').innerText()).toMatch(
      /^\d+ read, \d+ written, \d+ failed · (\d+ records\/s|starting) · .* \(usual run 100\)$/,
    );
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'dashboard-running.png'), fullPage: true });
    env.fhir.faults.latencyMs = 0;
    await runEnds(run);
    await bar.waitFor({ state: 'detached' });
    expect(env.writes).toHaveLength(200);
  }, 90_000);
});
