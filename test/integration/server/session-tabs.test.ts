import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCore, type TestCore } from '../../support/test-core.js';
import { ADMIN_PASSWORD } from '../../support/test-caller.js';
import { HttpSession, startTestServer, type TestServer } from '../../support/test-http.js';
import { BrowserProfile, type BrowserTab } from './browser-tabs.js';

const odooSettings = {
  kind: 'odoo',
  baseUrl: 'https://odoo.example',
  database: 'db',
  login: 'sync',
} as const;

/**
 * The real renderer client against the real server, with a shared cookie jar: what a reload and a
 * second tab look like to the server (the cookie arrives, the first page's CSRF token does not).
 */
describe('a signed-in session across reloads and tabs', () => {
  let harness: TestCore;
  let server: TestServer;
  let profile: BrowserProfile;
  const tabs: BrowserTab[] = [];

  function openTab(): BrowserTab {
    const tab = profile.openTab();
    tabs.push(tab);
    return tab;
  }

  beforeAll(async () => {
    harness = await startTestCore();
    server = await startTestServer(harness);
    profile = new BrowserProfile(server.url);
  });
  afterAll(async () => {
    for (const tab of tabs) tab.close();
    await server.close();
    await harness.close();
  });

  it('keeps the session and its CSRF protection after a reload', async () => {
    const first = openTab();
    const login = await first.client.operations['session.login']({
      username: 'admin',
      password: ADMIN_PASSWORD,
    });
    expect(login.ok && login.value.state).toBe('active');
    first.close();

    const reloaded = openTab();
    const status = await reloaded.client.operations['session.status']({});
    expect(status.ok ? status.value.state : status.error).toBe('active');
    // The token stays inside the transport: the rest of the console never sees it.
    expect(status.ok && 'csrfToken' in status.value).toBe(false);
    const created = await reloaded.client.operations['connections.create']({
      name: 'After reload',
      settings: odooSettings,
    });
    expect(created.ok ? created.value.name : created.error).toBe('After reload');
  });

  it('signs a second tab in with the same session, able to write', async () => {
    const second = openTab();
    const status = await second.client.operations['session.status']({});
    expect(status.ok ? status.value.state : status.error).toBe('active');
    const created = await second.client.operations['connections.create']({
      name: 'From a second tab',
      settings: odooSettings,
    });
    expect(created.ok ? created.value.name : created.error).toBe('From a second tab');
  });

  it('unlocks every tab of the session when one unlocks', async () => {
    const [unlocker, waiter] = [openTab(), openTab()];
    expect((await unlocker.client.operations['session.status']({})).ok).toBe(true);
    expect((await waiter.client.operations['session.status']({})).ok).toBe(true);
    // The waiting tab's live stream is open before the session locks.
    await expect
      .poll(async () => {
        await unlocker.client.operations['connections.create']({
          name: 'Lock probe',
          settings: odooSettings,
        });
        return waiter.events.some((event) => event.type === 'connections.changed');
      })
      .toBe(true);

    expect((await unlocker.client.operations['session.lock']({})).ok).toBe(true);
    await expect.poll(() => waiter.events.some((event) => event.type === 'session.locked')).toBe(true);
    const unlocked = await unlocker.client.operations['session.unlock']({ password: ADMIN_PASSWORD });
    expect(unlocked.ok && unlocked.value.state).toBe('active');
    await expect
      .poll(() => waiter.events.find((event) => event.type === 'session.unlocked'))
      .toEqual({ type: 'session.unlocked' });
    const list = await waiter.client.operations['connections.list']({});
    expect(list.ok).toBe(true);
  });

  it('signs every tab of the session out when one signs out', async () => {
    const [stay, leave] = [openTab(), openTab()];
    expect((await stay.client.operations['session.status']({})).ok).toBe(true);
    expect((await leave.client.operations['session.status']({})).ok).toBe(true);
    // Both tabs' live streams are open before one of them signs out.
    let probe = 0;
    await expect
      .poll(async () => {
        probe += 1;
        await leave.client.operations['connections.create']({
          name: `Probe ${probe}`,
          settings: odooSettings,
        });
        return stay.events.some((event) => event.type === 'connections.changed');
      })
      .toBe(true);

    const out = await leave.client.operations['session.logout']({});
    expect(out.ok && out.value.state).toBe('signed-out');
    await expect
      .poll(() => stay.events.find((event) => event.type === 'session.ended'))
      .toEqual({ type: 'session.ended', reason: 'logout' });
    const after = await stay.client.operations['connections.list']({});
    expect(after.ok ? 'still signed in' : after.error.code).toBe('unauthenticated');
    expect(stay.signedOutHooks).toBe(1);
  });

  it('hands the token only to a same-origin caller, and still demands it on every other call', async () => {
    const page = new HttpSession(server.url);
    await page.op('session.login', { username: 'admin', password: ADMIN_PASSWORD });
    const reloaded = new HttpSession(server.url);
    reloaded.cookie = page.cookie;

    const crossOrigin = await reloaded.op(
      'session.status',
      {},
      { headers: { origin: 'https://evil.example' } },
    );
    expect([crossOrigin.status, crossOrigin.json.error?.code]).toEqual([403, 'csrf-failed']);
    const crossSite = await reloaded.op(
      'session.status',
      {},
      { headers: { 'sec-fetch-site': 'cross-site' } },
    );
    expect([crossSite.status, crossSite.json.error?.code]).toEqual([403, 'csrf-failed']);
    expect(reloaded.csrf).toBeNull();

    const withoutToken = await reloaded.op('session.lock', {});
    expect([withoutToken.status, withoutToken.json.error?.code]).toEqual([403, 'csrf-failed']);
    const status = await reloaded.op('session.status', {}, { headers: { 'sec-fetch-site': 'same-origin' } });
    expect(status.status).toBe(200);
    expect(reloaded.csrf).toBe(page.csrf);
    const lock = await reloaded.op('session.lock', {});
    expect(lock.status).toBe(200);
  });
});
