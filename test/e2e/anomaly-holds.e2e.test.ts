import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FINISHED_RUN_STATUSES, type Run } from '../../shared/domain/run.js';
import { seedBatchHistory, watchAnomalies } from '../integration/outage/anomaly-history-seed.js';
import { OutageEnv, patientVersions } from '../integration/outage/outage-env.js';
import { launchChromium, SCREENSHOT_DIR } from '../support/browser.js';
import { until } from '../support/until.js';

/**
 * Anomaly holds in Chromium (issue 12, "Done when"): a real `osc serve` with the FHIR and Odoo
 * emulators, a flow watching its batches against seeded history (about 20 a batch, on today's
 * weekday and at month ends). A normal batch of 20 is judged and posted; a batch of 200 (10× normal
 * volume) is held with nothing posted to Odoo; the banner and the Exceptions page show it with the
 * judge's explanation; a finance user releases it with a reason and the 200 writes reach Odoo
 * (counted in the emulator).
 */
// Seven earlier batches, and minHistory 7: the normal batch is judged and joins them, so the 10×
// one is compared with the last 8.
const HISTORY = [18, 20, 22, 19, 21, 20, 23];
const FINANCE = { username: 'fiona', password: 'finance-holds-e2e-pass' };

describe('anomaly holds in Chromium', () => {
  let env: OutageEnv;
  let browser: Browser;
  let page: Page;

  const runToEnd = async (): Promise<Run> => {
    const run = await env.runNow();
    return until(
      'the run ends',
      async () => {
        const found = (await env.runs()).find((one) => one.id === run.id);
        return found !== undefined && FINISHED_RUN_STATUSES.includes(found.status) ? found : null;
      },
      60_000,
    );
  };
  const verdicts = () =>
    env.sql<{ verdict: string; volume: number }>(
      "SELECT verdict, volume FROM anomaly_batches WHERE run_id <> 'run_seed' ORDER BY id",
    );

  beforeAll(async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    env = await OutageEnv.start({ batchSize: 50 });
    await env.console.operators.admin.value('operators.create', {
      ...FINANCE,
      displayName: 'Fiona Finance',
      roles: ['finance'],
    });
    await watchAnomalies(env, { minHistory: 7, threshold: 3.5 });
    seedBatchHistory(env.temp.dir, env.flow.id, HISTORY);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(15_000);
  }, 120_000);

  afterAll(async () => {
    await browser.close();
    await env.close();
  }, 30_000);

  it('a normal batch on the seeded history is judged and posted, not held', async () => {
    env.addVersions(patientVersions(20, 20, 1));
    const run = await runToEnd();
    expect(run.status).toBe('succeeded');
    expect(verdicts()).toEqual([{ verdict: 'normal', volume: 20 }]);
    expect(env.writes).toHaveLength(20);
    expect(await env.console.operators.admin.value('holds.list', { state: 'held' })).toEqual([]);
  }, 90_000);

  it('a batch of 10× the normal volume is held, nothing posted; finance releases it in the browser and it reaches Odoo', async () => {
    env.addVersions(patientVersions(200, 200, 2, 1000).map((v) => ({ ...v, key: `H${v.key.slice(1)}` })));
    const run = await runToEnd();
    expect(run.counts).toMatchObject({ read: 200, written: 0, deferred: 200 });
    expect(verdicts().at(-1)).toEqual({ verdict: 'held', volume: 200 });
    expect(env.writes, 'nothing of the held batch reached Odoo').toHaveLength(20);

    await page.goto(env.console.operators.admin.url);
    await page.getByLabel('Username').fill(FINANCE.username);
    await page.getByLabel('Password').fill(FINANCE.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // The banner on every page: the held writes beside the outbox's waiting figure.
    const banner = page.getByRole('region', { name: 'Held for review' });
    await banner.getByText('200 writes of an anomalous batch held for review').waitFor();
    await banner.getByRole('link', { name: 'Held batches' }).click();
    const held = page.getByRole('region', { name: 'Held batches' });
    await held.waitFor();
    const explanation = held.locator('.held-explanation');
    expect(await explanation.innerText()).toMatch(/^200 records: 10× the median of the last 8 \S+ \(20\)$/);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'anomaly-hold-held.png'), fullPage: true });

    // A reason is required: releasing without one is refused before anything is sent.
    await held.getByRole('button', { name: 'Release (send)' }).click();
    await held
      .getByText(/reason/i)
      .first()
      .waitFor();
    expect(env.writes).toHaveLength(20);
    await held.getByLabel(/Reason for the decision/).fill('Quarterly catch-up export from the EHR, checked');
    await held.getByRole('button', { name: 'Release (send)' }).click();
    await until('the released writes reach Odoo', () => (env.writes.length >= 220 ? true : null), 60_000);
    await held.waitFor({ state: 'detached' });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'anomaly-hold-released.png'), fullPage: true });

    expect(env.writes).toHaveLength(220);
    expect(env.partnersOfFlow()).toBe(220);
    const [decided] = await env.console.operators.admin.value('holds.list', {});
    expect(decided).toMatchObject({ state: 'released', decidedBy: FINANCE.username, size: 200 });
    // The release is in the audit log with its reason.
    const entries = await env.console.operators.admin.value('audit.list', {
      action: 'holds.release',
      limit: 5,
    });
    expect(JSON.stringify(entries)).toContain('Quarterly catch-up export from the EHR, checked');
  }, 120_000);
});
