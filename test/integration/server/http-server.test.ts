import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCore, type TestCore } from '../../support/test-core.js';
import { ADMIN_PASSWORD } from '../../support/test-caller.js';
import { HttpSession, startTestServer, type TestServer } from '../../support/test-http.js';

describe('headless console over HTTP', () => {
  let harness: TestCore;
  let server: TestServer;
  let browser: HttpSession;

  beforeAll(async () => {
    harness = await startTestCore();
    server = await startTestServer(harness);
    browser = new HttpSession(server.url);
    const login = await browser.op('session.login', { username: 'admin', password: ADMIN_PASSWORD });
    expect(login.status).toBe(200);
  });
  afterAll(async () => {
    await server.close();
    await harness.close();
  });

  it('signs in with an HttpOnly SameSite=Strict cookie and hands the CSRF token only in the body', async () => {
    const fresh = new HttpSession(server.url);
    const login = await fresh.op('session.login', { username: 'admin', password: ADMIN_PASSWORD });
    expect(login.setCookie).toMatch(/^osc_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    expect(fresh.csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(login.setCookie).not.toContain(fresh.csrf ?? '-');
    expect(login.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(login.headers.get('x-frame-options')).toBe('DENY');
    expect(login.headers.get('cache-control')).toBe('no-store');
  });

  it('refuses calls without the CSRF token, with a wrong one, or from another origin', async () => {
    const missing = await browser.op('connections.list', {}, { headers: { 'x-csrf-token': '' } });
    expect([missing.status, missing.json.error?.code]).toEqual([403, 'csrf-failed']);
    const wrong = await browser.op('connections.list', {}, { headers: { 'x-csrf-token': 'forged' } });
    expect([wrong.status, wrong.json.error?.code]).toEqual([403, 'csrf-failed']);
    const crossSite = await browser.op(
      'connections.list',
      {},
      { headers: { origin: 'https://evil.example' } },
    );
    expect([crossSite.status, crossSite.json.error?.code]).toEqual([403, 'csrf-failed']);
    const sameOrigin = await browser.op('connections.list', {}, { headers: { origin: server.url } });
    expect(sameOrigin.status).toBe(200);
  });

  it('answers bad requests with a Result, never a stack trace', async () => {
    const malformed = await browser.op('connections.list', null, { raw: '{"not json' });
    expect([malformed.status, malformed.json.ok, malformed.json.error?.code]).toEqual([
      400,
      false,
      'invalid-input',
    ]);
    const huge = await browser.op('connections.setSecret', null, {
      raw: JSON.stringify({ id: 'conn_abcdefghij', secret: 'x'.repeat(300_000) }),
    });
    expect([huge.status, huge.json.error?.code]).toEqual([413, 'invalid-input']);
    const unknown = await browser.op('connections.explode', {});
    expect([unknown.status, unknown.json.error?.code]).toEqual([404, 'not-found']);
    const text = await browser.op('connections.list', null, {
      raw: '{}',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.json.ok).toBe(false);
    expect(text.status).toBeGreaterThanOrEqual(400);
    const wrongType = await browser.op('audit.list', { limit: 'ten' });
    expect([wrongType.status, wrongType.json.error?.code]).toEqual([400, 'invalid-input']);
    expect(JSON.stringify([malformed, huge, unknown, text, wrongType].map((r) => r.json))).not.toMatch(
      /\.ts:\d|at Object|node_modules/,
    );
  });

  it('refuses anonymous calls to signed-in operations with 401', async () => {
    const anonymous = new HttpSession(server.url);
    const result = await anonymous.op('connections.list', {});
    expect([result.status, result.json.error?.code]).toEqual([401, 'unauthenticated']);
    const events = await fetch(`${server.url}/api/events`, { signal: AbortSignal.timeout(5000) });
    expect(events.status).toBe(401);
  });

  it('streams live events to a signed-in console over SSE', async () => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 10_000);
    const response = await fetch(`${server.url}/api/events`, {
      headers: { cookie: browser.cookie ?? '' },
      signal: controller.signal,
    });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = response.body!.getReader();
    const created = browser.op('connections.create', {
      name: 'SSE Odoo',
      settings: { kind: 'odoo', baseUrl: 'https://odoo.example', database: 'db', login: 'sync' },
    });
    let text = '';
    const decoder = new TextDecoder();
    while (!text.includes('"connections.changed"') || !text.includes('"connections.create"')) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += decoder.decode(chunk.value);
    }
    clearTimeout(timer);
    controller.abort();
    expect((await created).status).toBe(200);
    const events = text
      .split('\n\n')
      .filter((block) => block.startsWith('data: '))
      .map((block) => JSON.parse(block.slice(6)) as { type: string });
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['connections.changed', 'audit.appended']),
    );
  });

  it('signs out: the cookie is cleared and the old session id no longer works', async () => {
    const user = new HttpSession(server.url);
    await user.op('session.login', { username: 'admin', password: ADMIN_PASSWORD });
    const oldCookie = user.cookie;
    const logout = await user.op('session.logout', {});
    expect(logout.setCookie).toMatch(/osc_session=;.*Expires=Thu, 01 Jan 1970/);
    const replay = new HttpSession(server.url);
    replay.cookie = oldCookie;
    const result = await replay.op('connections.list', {});
    expect(result.json.error?.code).toBe('unauthenticated');
  });
});
