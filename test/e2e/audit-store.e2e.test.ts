import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditCheckpointView } from '../../shared/contract/ops/checkpoint-ops.js';
import type { AuditPage } from '../../shared/domain/audit.js';
import { checkpointSignatureValid } from '../../main/store/audit/checkpoints/signed-checkpoint.js';
import { launchChromium, SCREENSHOT_DIR } from '../support/browser.js';
import { startServeProcess, type ServeProcess } from '../support/serve-process.js';
import { makeTempDir } from '../support/temp-dir.js';
import { HttpSession } from '../support/test-http.js';
import { until } from '../support/until.js';
import { WitnessReceiver } from '../support/witness-receiver.js';

/**
 * The Audit store page in Chromium against a real `osc serve` (issue 13): an administrator signs a
 * checkpoint and downloads it, points the checkpoint witness at a receiver on 127.0.0.1 (started by
 * this test, checking the HMAC itself) and sees the delivery on the page, sets the payload retention
 * age (an out-of-range value refused in place) and prunes now; a viewer sees the checkpoints but none
 * of the administrators' controls.
 */
const ADMIN = { username: 'admin', displayName: 'Ada Admin', password: 'audit-store-e2e-admin-pass' };
const VIEWER = { username: 'vera', displayName: 'Vera Viewer', password: 'audit-store-e2e-viewer-pass' };
const SECRET = 'audit-store-e2e-witness-secret';

describe('the Audit store page in Chromium', () => {
  let data: ReturnType<typeof makeTempDir>;
  let server: ServeProcess;
  let receiver: WitnessReceiver;
  let browser: Browser;
  let page: Page;
  let admin: HttpSession;

  async function signIn(who: { username: string; password: string }): Promise<void> {
    await page.goto(server.url);
    await page.getByLabel('Username').fill(who.username);
    await page.getByLabel('Password').fill(who.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Audit store' }).click();
  }

  beforeAll(async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    data = makeTempDir('osc-e2e-audit-store-');
    receiver = new WitnessReceiver(SECRET);
    await receiver.start();
    server = await startServeProcess(data.dir);
    await new HttpSession(server.url).value('session.setupFirstAdmin', {
      username: ADMIN.username,
      displayName: ADMIN.displayName,
      password: ADMIN.password,
    });
    admin = await HttpSession.signedIn(server.url, ADMIN.username, ADMIN.password);
    await admin.value('operators.create', { ...VIEWER, roles: ['viewer'] });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 1100 }, acceptDownloads: true });
    page.setDefaultTimeout(15_000);
  }, 60_000);

  afterAll(async () => {
    const state = { browser, server, receiver, data } as Partial<{
      browser: Browser;
      server: ServeProcess;
      receiver: WitnessReceiver;
      data: typeof data;
    }>;
    await state.browser?.close();
    await state.server?.stop();
    await state.receiver?.stop();
    state.data?.cleanup();
  }, 30_000);

  it('an administrator signs a checkpoint, sets the witness and sees the delivery, sets retention and prunes', async () => {
    await signIn(ADMIN);
    const list = page.getByRole('table', { name: 'Signed checkpoints' });
    await page.getByText('No checkpoint has been signed yet.').waitFor();
    await page.getByRole('button', { name: 'Sign a checkpoint now' }).click();
    await list.getByRole('row').nth(1).waitFor();
    const [signed] = (await admin.value<{ items: AuditCheckpointView[] }>('audit.checkpoints', { limit: 5 }))
      .items;
    expect(signed).toBeDefined();
    expect(await list.getByRole('row').nth(1).getByRole('cell').nth(2).innerText()).toBe(
      `#${signed!.checkpoint.seq}`,
    );

    // The downloaded file is the checkpoint as signed, with the public key that verifies it.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      list.getByRole('button', { name: `Download checkpoint ${signed!.id} as JSON` }).click(),
    ]);
    const saved = join(data.dir, 'downloaded-checkpoint.json');
    await download.saveAs(saved);
    const file = JSON.parse(readFileSync(saved, 'utf8')) as AuditCheckpointView & { publicKey: string };
    expect(file).toMatchObject({ format: 'osc-audit-checkpoint/1', checkpoint: signed!.checkpoint });
    expect(checkpointSignatureValid(file, file.publicKey)).toBe(true);

    // The witness: a URL the policy refuses is answered in place, then the receiver on 127.0.0.1.
    const witness = page.getByRole('form', { name: 'Witness settings' });
    await witness.getByLabel('Witness URL').fill('http://witness.example.org/hook');
    await witness.getByLabel('Signing secret', { exact: true }).fill(SECRET);
    await witness.getByRole('button', { name: 'Save witness' }).click();
    await page.getByText(/plain http/).waitFor();
    await witness.getByLabel('Witness URL').fill(receiver.url);
    await witness.getByLabel('Signing secret', { exact: true }).fill(SECRET);
    await witness.getByRole('button', { name: 'Save witness' }).click();
    const deliveries = page.getByRole('list', { name: 'Witness deliveries' });
    await deliveries
      .getByText(new RegExp(`^Checkpoint #${signed!.id} \\(row #${signed!.checkpoint.seq}\\): delivered `))
      .waitFor();
    const got = await until(
      'the receiver has the checkpoint',
      () => receiver.received.find((request) => request.eventId.endsWith(`-${signed!.id}`)) ?? null,
    );
    expect(got).toMatchObject({ signatureValid: true, body: { checkpoint: signed!.checkpoint } });
    // The secret field is emptied after saving; the page says one is saved.
    expect(await witness.getByLabel('Signing secret', { exact: true }).inputValue()).toBe('');
    await witness.getByText('A secret is saved in the OS keychain; leave empty to keep it.').waitFor();

    // Retention: out of range refused in place; 30 days saved; prune now shows what it did.
    const retention = page.getByRole('form', { name: 'Payload retention' });
    const days = retention.getByLabel('Prune settled payloads older than (days)');
    await page.getByText('Payloads are kept forever (no retention age set).').waitFor();
    await days.fill('0');
    await retention.getByRole('button', { name: 'Save retention' }).click();
    await retention.getByText('Enter a whole number of days from 1 to 3650.').waitFor();
    await days.fill('30');
    await retention.getByRole('button', { name: 'Save retention' }).click();
    await page.getByText('Settled payloads older than 30 days are pruned daily.').waitFor();
    await retention.getByRole('button', { name: 'Prune now' }).click();
    await page.getByText(/^Pruned 0 payloads settled before .* \(older than 30 days\)\.$/).waitFor();
    await page.getByRole('button', { name: 'Back up now' }).click();
    await page.getByText(/^Backed up to osc-.*\.sqlite \(.+\)\.$/).waitFor();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'audit-store.png'), fullPage: true });

    expect(await admin.value('retention.settings', {})).toEqual({ payloadDays: 30 });
    const audit = await admin.value<AuditPage>('audit.list', { limit: 200 });
    const actions = audit.entries.map((row) => `${row.actor} ${row.action} ${row.outcome}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        'admin audit.checkpoint ok',
        'admin audit.setWitness error',
        'admin audit.setWitness ok',
        'system audit.witness-delivered ok',
        'admin retention.setPayloadDays ok',
        'admin store.payloads-pruned ok',
        'admin store.backup ok',
      ]),
    );
    expect(JSON.stringify(audit)).not.toContain(SECRET);
  }, 90_000);

  it('a viewer sees the checkpoints and the public key, but no control of the administrators', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(VIEWER);
    await page.getByRole('table', { name: 'Signed checkpoints' }).getByRole('row').nth(1).waitFor();
    await page.getByRole('button', { name: 'Download the public key (PEM)' }).waitFor();
    expect(await page.getByRole('button', { name: 'Sign a checkpoint now' }).count()).toBe(0);
    expect(await page.getByRole('form', { name: 'Witness settings' }).count()).toBe(0);
    expect(await page.getByRole('form', { name: 'Payload retention' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Back up now' }).count()).toBe(0);
  }, 60_000);
});
