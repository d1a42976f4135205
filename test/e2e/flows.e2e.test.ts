import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, SCREENSHOT_DIR } from '../support/browser.js';
import { makeTempDir } from '../support/temp-dir.js';
import { until } from '../support/until.js';
import { demoPasswords, startDemoProcess, type DemoProcess } from './demo-process.js';

const FLOW = 'Patients → Odoo customers';

describe('the Flows page in Chromium against the demo clinic', () => {
  let data: ReturnType<typeof makeTempDir>;
  let demo: DemoProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    data = makeTempDir('osc-e2e-flows-');
    demo = await startDemoProcess(data.dir);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(15_000);
  }, 120_000);

  afterAll(async () => {
    // Any of these may be missing when beforeAll failed part-way.
    const state = { browser, demo, data } as Partial<{
      browser: Browser;
      demo: DemoProcess;
      data: typeof data;
    }>;
    await state.browser?.close();
    await state.demo?.stop();
    state.data?.cleanup();
  }, 30_000);

  it('signs in as the demo administrator and lists the demo flows', async () => {
    await page.goto(demo.url);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(demoPasswords(demo.output()).admin);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Flows' }).click();
    await page.getByRole('heading', { name: 'Flows' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: FLOW });
    // Connection names arrive with their own read (the Overview's dashboard reads first now).
    await row.filter({ hasText: 'Clinic EHR (FHIR)' }).waitFor();
    expect(await page.getByRole('row').count()).toBeGreaterThanOrEqual(5);
  });

  it('runs a flow now and shows the counts of that run as it finishes', async () => {
    const row = page.getByRole('row').filter({ hasText: FLOW });
    await row.getByRole('button', { name: `Run now: ${FLOW}` }).click();
    // The row re-renders as the run starts; under load a press can straddle that re-render and be
    // lost (a person would press again), so press until the panel is open, a bounded number of times.
    const runsHeading = page.getByRole('heading', { name: `Runs of ${FLOW}` });
    await until(
      'the runs panel opens',
      async () => {
        await row.getByRole('button', { name: `Runs: ${FLOW}` }).click();
        return runsHeading.waitFor({ timeout: 3_000 }).then(
          () => true,
          () => null,
        );
      },
      30_000,
    );
    // The demo's own first run was requested by "it"; this one is the administrator's.
    const mine = page
      .getByRole('row')
      .filter({ hasText: 'by admin' })
      .filter({ hasText: /Succeeded|Completed with failures/ });
    await mine.first().waitFor({ timeout: 60_000 });
    expect(await mine.first().textContent()).toMatch(
      /read \d+ · mapped \d+ · unchanged \d+ · written \d+ · failed \d+/,
    );
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toMatch(/read \d+ · mapped \d+/);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'flows.png'), fullPage: true });
  });

  it('shows the mappings with their versions and lifecycle', async () => {
    await page.getByRole('link', { name: 'Mappings' }).click();
    await page.getByRole('heading', { name: 'Mappings' }).waitFor();
    await page
      .getByRole('button', { name: /^Versions: / })
      .first()
      .click();
    await page.getByRole('heading', { name: /: versions$/ }).waitFor();
    await expect.poll(() => page.getByText('active', { exact: true }).count()).toBeGreaterThan(0);
  });

  it('exports a mapping, imports it back as a draft, and shows why its author cannot approve it', async () => {
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export JSON' }).click();
    const file = join(data.dir, 'exported-mapping.json');
    await (await download).saveAs(file);
    const exported = JSON.parse(readFileSync(file, 'utf8')) as { format: string; versions: unknown[] };
    expect(exported.format).toBe('osc.mapping/1');
    expect(exported.versions.length).toBeGreaterThan(0);

    await page.locator('input[type="file"]').setInputFiles(file);
    await page.getByText(/^Imported .*: version \d+ is a draft awaiting approval\.$/).waitFor();
    // The administrator imported it, so the administrator is its author: the server refuses.
    await page.getByRole('button', { name: /^Approve version \d+$/ }).click();
    const refusal = page.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('another administrator must approve');
    // The imported draft holds the same rules as the version it came from.
    await page.getByRole('button', { name: 'Show changes' }).click();
    await page.getByText(/^Versions \d+ and \d+ are the same\.$/).waitFor();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'mappings.png'), fullPage: true });
  });

  it('looks lineage up both ways for a patient the demo synced', async () => {
    await page.getByRole('link', { name: 'Lineage' }).click();
    await page.getByLabel('Source record id').fill('Patient/pat-001');
    await page.getByRole('button', { name: 'Find what it became' }).click();
    const became = page.getByRole('table', { name: 'What source record Patient/pat-001 became' });
    await became.waitFor();
    expect(await became.textContent()).toMatch(/res\.partner\s*patient_pat_001/);

    await page.getByLabel('Target model').fill('res.partner');
    await page.getByLabel('External ID').fill('patient_pat_002');
    await page.getByRole('button', { name: 'Find where it came from' }).click();
    const origin = page.getByRole('table', { name: 'Where res.partner record came from' });
    await origin.waitFor();
    expect(await origin.textContent()).toContain('Patient/pat-002');
  });
});
