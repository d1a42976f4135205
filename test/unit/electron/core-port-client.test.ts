import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { fromNodePort } from '../../../main/core-process/message-port-like.js';
import {
  CORE_GONE_MESSAGE,
  CORE_UNREACHABLE_MESSAGE,
  CorePortClient,
} from '../../../main/electron/core-port-client.js';
import type { LiveEvent } from '../../../shared/contract/events.js';
import { ok } from '../../../shared/contract/result.js';
import { until } from '../../support/until.js';

// The preload's client over a real Node MessageChannel; the "core" end is driven by the test.
const open: MessagePort[] = [];
afterEach(() => {
  for (const port of open.splice(0)) port.close();
});

function channel(): { client: MessagePort; core: MessagePort; requests: unknown[] } {
  const { port1, port2 } = new MessageChannel();
  open.push(port1, port2);
  const requests: unknown[] = [];
  port2.on('message', (message) => requests.push(message));
  return { client: port1, core: port2, requests };
}

const gone = { ok: false, error: { code: 'unavailable', message: CORE_GONE_MESSAGE } };

describe('CorePortClient', () => {
  it('sends numbered requests and matches each answer to its call, whatever the order', async () => {
    const client = new CorePortClient();
    const { client: port, core, requests } = channel();
    client.attach(fromNodePort(port));
    const first = client.request('session.status', {});
    const second = client.request('audit.verify', { deep: true });
    await until('two requests', () => (requests.length === 2 ? requests : null));
    expect(requests).toEqual([
      { id: 1, op: 'session.status', input: {} },
      { id: 2, op: 'audit.verify', input: { deep: true } },
    ]);
    core.postMessage({ kind: 'result', id: 2, result: ok('second') });
    core.postMessage({ kind: 'result', id: 1, result: ok('first') });
    expect(await first).toEqual(ok('first'));
    expect(await second).toEqual(ok('second'));
  });

  it('holds calls made before the port arrives and sends them once it does', async () => {
    const client = new CorePortClient();
    const early = client.request('session.status', {});
    const { client: port, core, requests } = channel();
    client.attach(fromNodePort(port));
    await until('the held request', () => (requests.length === 1 ? requests : null));
    core.postMessage({ kind: 'result', id: 1, result: ok('answered') });
    expect(await early).toEqual(ok('answered'));
  });

  it('fails a held call clearly when no port ever arrives', async () => {
    const client = new CorePortClient({ connectTimeoutMs: 50 });
    expect(await client.request('session.status', {})).toEqual({
      ok: false,
      error: { code: 'unavailable', message: CORE_UNREACHABLE_MESSAGE },
    });
  });

  it('fails calls in flight when the other end closes, and every later call at once', async () => {
    const client = new CorePortClient();
    const { client: port, core, requests } = channel();
    client.attach(fromNodePort(port));
    const inFlight = client.request('audit.verify', {});
    await until('the request', () => (requests.length === 1 ? requests : null));
    core.close();
    expect(await inFlight).toEqual(gone);
    expect(client.state).toBe('gone');
    expect(await client.request('operators.list', {})).toEqual(gone);
  });

  it('fails calls in flight when the main process says the core is gone', async () => {
    const client = new CorePortClient();
    const { client: port } = channel();
    client.attach(fromNodePort(port));
    const inFlight = client.request('audit.verify', {});
    client.disconnect();
    expect(await inFlight).toEqual(gone);
  });

  it('waits again after reconnecting() and works on the next port', async () => {
    const client = new CorePortClient();
    client.disconnect();
    client.reconnecting();
    const held = client.request('session.status', {});
    const { client: port, core } = channel();
    core.on('message', (message: { id: number }) =>
      core.postMessage({ kind: 'result', id: message.id, result: ok('new core') }),
    );
    client.attach(fromNodePort(port));
    expect(await held).toEqual(ok('new core'));
  });

  it('ignores answers on a replaced port and malformed messages; passes live events on', async () => {
    const client = new CorePortClient();
    const old = channel();
    client.attach(fromNodePort(old.client));
    const lost = client.request('session.status', {});
    const fresh = channel();
    client.attach(fromNodePort(fresh.client));
    expect(await lost).toEqual(gone);
    const events: LiveEvent[] = [];
    client.onEvent((event) => events.push(event));
    const live: LiveEvent = { type: 'session.locked', reason: 'inactivity' };
    old.core.postMessage({ kind: 'event', event: live });
    for (const junk of [null, 'x', { kind: 'event', event: { type: 7 } }, { kind: 'result', id: 'one' }]) {
      fresh.core.postMessage(junk);
    }
    fresh.core.postMessage({ kind: 'event', event: live });
    await until('the live event', () => (events.length > 0 ? events : null));
    expect(events).toEqual([live]);
  });

  it('answers an input that cannot be cloned with an error instead of throwing', async () => {
    const client = new CorePortClient();
    client.attach(fromNodePort(channel().client));
    expect(await client.request('session.status', { notData: () => 1 })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
  });
});
