import { describe, expect, it } from 'vitest';
import { OPERATION_NAMES } from '../../../shared/contract/operations.js';
import type { LiveEvent } from '../../../shared/contract/events.js';
import { createHttpBridge } from '../../../renderer/client/http-transport.js';
import { fail, fakeEventSources, fakeFetch, ok } from './http-doubles.js';

const operator = {
  username: 'ada',
  displayName: 'Ada',
  roles: ['administrator'],
  disabled: false,
  createdAt: '2025-01-01T00:00:00Z',
  lastLoginAt: null,
};
const active = (csrfToken?: string) => ({
  state: 'active',
  operator,
  idleLockMinutes: 15,
  ...(csrfToken ? { csrfToken } : {}),
});
const signedOut = { state: 'signed-out', operator: null, idleLockMinutes: 15 };

function bridgeWith(replies: Parameters<typeof fakeFetch>[0], callTimeoutMs?: number) {
  const http = fakeFetch(replies);
  const events = fakeEventSources();
  const bridge = createHttpBridge({
    fetch: http.fetch,
    openEventSource: events.open,
    ...(callTimeoutMs === undefined ? {} : { callTimeoutMs }),
  });
  return { bridge, http, events };
}

describe('HTTP transport: requests', () => {
  it('offers exactly one function per contract operation', () => {
    const { bridge } = bridgeWith([]);
    expect(Object.keys(bridge.operations).sort()).toEqual([...OPERATION_NAMES].sort());
  });

  it('POSTs the JSON input to /api/ops/<name> with same-origin credentials', async () => {
    const { bridge, http } = bridgeWith([ok([])]);
    const result = await bridge.operations['audit.list']({ limit: 5, actor: 'ada' });
    expect(result).toEqual({ ok: true, value: [] });
    expect(http.seen[0]).toMatchObject({
      url: '/api/ops/audit.list',
      method: 'POST',
      credentials: 'same-origin',
      body: '{"limit":5,"actor":"ada"}',
    });
    expect(http.seen[0]?.headers['content-type']).toBe('application/json');
  });

  it('sends {} when an operation has no input', async () => {
    const { bridge, http } = bridgeWith([ok([])]);
    // The contract's empty input is `{}`; a caller passing nothing still sends a JSON object.
    await (bridge.operations['connections.list'] as (input?: unknown) => Promise<unknown>)();
    expect(http.seen[0]?.body).toBe('{}');
  });

  it('passes error Results through with their code whatever the HTTP status', async () => {
    const { bridge } = bridgeWith([fail('forbidden', 'Your roles do not allow this.', 403)]);
    expect(await bridge.operations['store.backup']({})).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'Your roles do not allow this.' },
    });
  });
});

describe('HTTP transport: CSRF token', () => {
  it('is not sent before it is known, then sent on every call, and never handed to the caller', async () => {
    const { bridge, http } = bridgeWith([ok(signedOut), ok(active('tok-123')), ok([]), ok([])]);
    await bridge.operations['session.status']({});
    const login = await bridge.operations['session.login']({ username: 'ada', password: 'correct horse' });
    await bridge.operations['connections.list']({});
    await bridge.operations['operators.list']({});
    expect(http.seen[0]?.headers['x-csrf-token']).toBeUndefined();
    expect(http.seen[1]?.headers['x-csrf-token']).toBeUndefined();
    expect(http.seen[2]?.headers['x-csrf-token']).toBe('tok-123');
    expect(http.seen[3]?.headers['x-csrf-token']).toBe('tok-123');
    expect(login.ok && 'csrfToken' in login.value).toBe(false);
    expect(JSON.stringify(login)).not.toContain('tok-123');
  });

  it('forgets the token after sign-out', async () => {
    const { bridge, http } = bridgeWith([ok(active('tok-1')), ok(signedOut), ok(signedOut)]);
    await bridge.operations['session.status']({});
    await bridge.operations['session.logout']({});
    await bridge.operations['session.status']({});
    expect(http.seen[1]?.headers['x-csrf-token']).toBe('tok-1');
    expect(http.seen[2]?.headers['x-csrf-token']).toBeUndefined();
  });

  it('refreshes a stale token once and retries the refused call', async () => {
    const { bridge, http } = bridgeWith([
      ok(active('old')),
      fail('csrf-failed', 'Missing or wrong CSRF token: reload the console.', 403),
      ok(active('new')),
      ok({ id: 'conn_abcdefghij' }),
    ]);
    await bridge.operations['session.status']({});
    const result = await bridge.operations['connections.delete']({ id: 'conn_abcdefghij' });
    expect(result).toEqual({ ok: true, value: { id: 'conn_abcdefghij' } });
    expect(http.seen.map((request) => request.url)).toEqual([
      '/api/ops/session.status',
      '/api/ops/connections.delete',
      '/api/ops/session.status',
      '/api/ops/connections.delete',
    ]);
    expect(http.seen[3]?.headers['x-csrf-token']).toBe('new');
  });

  it('retries only once when the token keeps failing', async () => {
    const refused = () => fail('csrf-failed', 'Cross-origin request refused.', 403);
    const { bridge, http } = bridgeWith([refused(), ok(active('t')), refused()]);
    const result = await bridge.operations['connections.list']({});
    expect(result).toMatchObject({ ok: false, error: { code: 'csrf-failed' } });
    expect(http.seen).toHaveLength(3);
  });
});

describe('HTTP transport: answers that are not Results', () => {
  const cases: [string, Parameters<typeof fakeFetch>[0]][] = [
    ['an HTML proxy page', [{ status: 502, body: '<html><body>Bad gateway</body></html>' }]],
    ['a truncated JSON body', [{ status: 200, body: '{"ok":true,"val' }]],
    ['JSON that is not a Result', [{ status: 200, body: '{"hello":"world"}' }]],
    ['a JSON array', [{ status: 200, body: '[1,2,3]' }]],
    ['an empty body', [{ status: 204, body: '' }]],
    ['an error without a message', [{ status: 500, body: '{"ok":false,"error":{"code":"internal"}}' }]],
    ['a network failure', ['network-error']],
  ];
  for (const [what, replies] of cases) {
    it(`turns ${what} into an 'unavailable' Result`, async () => {
      const { bridge } = bridgeWith(replies);
      const result = await bridge.operations['connections.list']({});
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('unavailable');
        expect(result.error.message.length).toBeGreaterThan(10);
      }
    });
  }

  it('never copies a huge body into the message', async () => {
    const huge = `<html>${'x'.repeat(5_000_000)}</html>`;
    const { bridge } = bridgeWith([{ status: 500, body: huge }]);
    const result = await bridge.operations['connections.list']({});
    expect(!result.ok && result.error.message.length < 300).toBe(true);
    expect(JSON.stringify(result)).not.toContain('xxxx');
  });

  it("maps an unknown error code to 'unavailable' but keeps the server's words", async () => {
    const { bridge } = bridgeWith([fail('brand-new-code', 'Something new happened.', 500)]);
    expect(await bridge.operations['connections.list']({})).toEqual({
      ok: false,
      error: { code: 'unavailable', message: 'Something new happened.' },
    });
  });

  it('gives up on a server that does not answer, within the time limit', async () => {
    const { bridge } = bridgeWith(['hang'], 50);
    const started = Date.now();
    const result = await bridge.operations['connections.list']({});
    expect(Date.now() - started).toBeLessThan(2000);
    expect(result).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(!result.ok && result.error.message).toContain('did not answer');
  });
});

describe('HTTP transport: live events', () => {
  const auditEvent: LiveEvent = {
    type: 'audit.appended',
    entry: {
      seq: 7,
      at: '2025-01-01T00:00:00Z',
      actor: 'ada',
      action: 'connections.create',
      target: 'conn_abcdefghij',
      outcome: 'ok',
      detail: '{}',
      hash: 'ab',
    },
  };

  it('opens /api/events only once a session exists and someone listens', async () => {
    const { bridge, events } = bridgeWith([ok(signedOut), ok(active('t'))]);
    const received: LiveEvent[] = [];
    bridge.onEvent((event) => received.push(event));
    await bridge.operations['session.status']({});
    expect(events.opened).toHaveLength(0);
    await bridge.operations['session.login']({ username: 'ada', password: 'correct horse' });
    expect(events.live()).toHaveLength(1);
    expect(events.opened[0]?.url).toBe('/api/events');
    events.opened[0]?.push(JSON.stringify(auditEvent));
    expect(received).toEqual([auditEvent]);
  });

  it('ignores messages that are not live events', async () => {
    const { bridge, events } = bridgeWith([ok(active('t'))]);
    const received: LiveEvent[] = [];
    bridge.onEvent((event) => received.push(event));
    await bridge.operations['session.status']({});
    const stream = events.opened[0]!;
    for (const junk of [
      'not json',
      '{"type":"nope"}',
      '{"type":"audit.appended","entry":{"seq":"1"}}',
      '42',
      'null',
      17,
    ]) {
      stream.push(junk);
    }
    expect(received).toEqual([]);
  });

  it('reopens the stream after sign-in, unlock and sign-out (it is bound to the session)', async () => {
    const { bridge, events } = bridgeWith([
      ok(active('a')),
      ok({ ...active(), state: 'locked' }),
      ok(active('b')),
      ok(signedOut),
    ]);
    bridge.onEvent(() => undefined);
    await bridge.operations['session.status']({});
    await bridge.operations['session.lock']({});
    expect(events.opened).toHaveLength(1);
    await bridge.operations['session.unlock']({ password: 'correct horse' });
    expect(events.opened).toHaveLength(2);
    expect(events.opened[0]?.closed).toBe(true);
    await bridge.operations['session.logout']({});
    expect(events.live()).toHaveLength(0);
  });

  it('closes the stream when a call says the session is gone, and when the last listener leaves', async () => {
    const { bridge, events } = bridgeWith([ok(active('a')), fail('unauthenticated', 'Sign in first.', 401)]);
    const stop = bridge.onEvent(() => undefined);
    await bridge.operations['session.status']({});
    expect(events.live()).toHaveLength(1);
    await bridge.operations['connections.list']({});
    expect(events.live()).toHaveLength(0);
    stop();
    expect(events.live()).toHaveLength(0);
  });

  it('keeps delivering to other listeners when one throws', async () => {
    const { bridge, events } = bridgeWith([ok(active('a'))]);
    const received: string[] = [];
    bridge.onEvent(() => {
      throw new Error('listener bug');
    });
    bridge.onEvent((event) => received.push(event.type));
    await bridge.operations['session.status']({});
    const original = console.error;
    console.error = () => undefined;
    try {
      events.opened[0]?.push(JSON.stringify({ type: 'session.locked', reason: 'inactivity' }));
    } finally {
      console.error = original;
    }
    expect(received).toEqual(['session.locked']);
  });
});
