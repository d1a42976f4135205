import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestCore, type TestCore } from '../../support/test-core.js';
import { ADMIN_PASSWORD } from '../../support/test-caller.js';
import { HttpSession, startTestServer, type TestServer } from '../../support/test-http.js';

// Records what the server compares in constant time; the comparison itself stays node's.
const compared = vi.hoisted(() => [] as Array<[string, string]>);
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return {
    ...actual,
    timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
      compared.push([
        Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString(),
        Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString(),
      ]);
      return actual.timingSafeEqual(a, b);
    },
  };
});

describe('CSRF token comparison', () => {
  let harness: TestCore;
  let server: TestServer;
  let page: HttpSession;

  beforeAll(async () => {
    harness = await startTestCore();
    server = await startTestServer(harness);
    page = new HttpSession(server.url);
    await page.op('session.login', { username: 'admin', password: ADMIN_PASSWORD });
  });
  afterAll(async () => {
    await server.close();
    await harness.close();
  });

  it('compares the sent token with the session one in constant time', async () => {
    const token = page.csrf ?? '';
    expect(token).toHaveLength(43);
    compared.length = 0;
    // Same length, last character wrong: the case a timing oracle would measure.
    const forged = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    const wrong = await page.op('connections.list', {}, { headers: { 'x-csrf-token': forged } });
    expect([wrong.status, wrong.json.error?.code]).toEqual([403, 'csrf-failed']);
    expect(compared).toContainEqual([forged, token]);

    const right = await page.op('connections.list', {});
    expect(right.status).toBe(200);
    expect(compared).toContainEqual([token, token]);
  });

  it('refuses a token of another length, an empty one and one sent twice', async () => {
    for (const sent of [page.csrf?.slice(1) ?? '', `${page.csrf ?? ''}x`, '']) {
      const answer = await page.op('connections.list', {}, { headers: { 'x-csrf-token': sent } });
      expect(answer.json.error?.code).toBe('csrf-failed');
    }
    const twice = await fetch(`${server.url}/api/ops/connections.list`, {
      method: 'POST',
      headers: [
        ['content-type', 'application/json'],
        ['cookie', page.cookie ?? ''],
        ['x-csrf-token', page.csrf ?? ''],
        ['x-csrf-token', page.csrf ?? ''],
      ],
      body: '{}',
    });
    expect(twice.status).toBe(403);
  });
});
