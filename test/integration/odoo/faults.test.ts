import { createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OdooConnector } from '../../../main/connectors/odoo/index.js';
import { ADMIN_UID, startOdooEmulator, type OdooEmulator } from '../../peers/odoo/index.js';
import { connectorFor, TEST_API_KEY } from './support/connector-setup.js';

/** Every fault mode of the emulator, and how the connector classifies it. */

let emulator: OdooEmulator;
let odoo: OdooConnector;

beforeEach(async () => {
  emulator = await startOdooEmulator({ apiKeys: [{ key: TEST_API_KEY }] });
  odoo = connectorFor(emulator.url, TEST_API_KEY, { timeoutMs: 1000 });
  // Warm up: version detection and login happen once, so each fault below hits the ORM call.
  await odoo.create('res.partner', [{ name: 'Warm-up' }]);
});
afterEach(async () => {
  await odoo.close();
  await emulator.close();
});

const count = () => odoo.create('res.partner', [{ name: 'Probe' }]);

describe('fault injection', () => {
  it('classifies an HTTP 503 as transient and recovers on the next call', async () => {
    emulator.faults.failNext(1, 503);
    await expect(count()).rejects.toMatchObject({ class: 'transient', code: 'http.503' });
    await expect(count()).resolves.toHaveLength(1);
    expect(emulator.faults.served).toBe(1);
  });

  it('classifies a reset connection as a transient network error', async () => {
    emulator.faults.resetNext();
    const error = (await count().catch((caught: unknown) => caught)) as { class: string; code: string };
    expect(error.class).toBe('transient');
    expect(error.code).toMatch(/^net\./);
    await expect(count()).resolves.toHaveLength(1);
  });

  it('gives up on a call that never gets an answer after timeoutMs, as a transient timeout', async () => {
    emulator.faults.hangNext();
    await expect(count()).rejects.toMatchObject({ class: 'transient', code: 'net.timeout' });
    await expect(count()).resolves.toHaveLength(1);
  });

  it('classifies a database serialization failure as transient', async () => {
    emulator.faults.dbErrorNext();
    await expect(count()).rejects.toMatchObject({
      class: 'transient',
      code: 'odoo.concurrency',
      message: expect.stringContaining('could not serialize access due to concurrent update') as unknown,
    });
  });

  it('fails during an outage window and works again after it', async () => {
    emulator.faults.outage(300);
    await expect(count()).rejects.toMatchObject({ class: 'transient', code: 'http.503' });
    let recovered = false;
    for (let attempt = 0; attempt < 40 && !recovered; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      recovered = await count().then(
        () => true,
        () => false,
      );
    }
    expect(recovered).toBe(true);
  });

  it('reports authentication once the API key expires mid-session', async () => {
    emulator.faults.expireApiKeys();
    await expect(count()).rejects.toMatchObject({ class: 'authentication', code: 'odoo.AccessDenied' });
    // The cached uid is dropped, so the next call re-authenticates and says the login is rejected.
    await expect(count()).rejects.toMatchObject({ class: 'authentication', code: 'odoo.login-rejected' });
  });

  it('turns a batch upsert during an outage into per-record transient outcomes', async () => {
    emulator.faults.outage(10_000);
    const outcomes = await odoo.upsert('res.partner', [
      { key: 'a', payload: { name: 'A' } },
      { key: 'b', payload: { name: 'B' } },
    ]);
    expect(outcomes).toEqual([
      {
        key: 'a',
        ok: false,
        error: expect.objectContaining({ class: 'transient', code: 'http.503' }) as unknown,
      },
      {
        key: 'b',
        ok: false,
        error: expect.objectContaining({ class: 'transient', code: 'http.503' }) as unknown,
      },
    ]);
  });

  it('cancels a slow call through its AbortSignal', async () => {
    emulator.faults.extraLatencyMs = 800;
    const controller = new AbortController();
    const call = odoo.create('res.partner', [{ name: 'Slow' }], controller.signal);
    setTimeout(() => controller.abort(), 20);
    await expect(call).rejects.toMatchObject({ class: 'transient', code: 'net.cancelled' });
  });

  it('refuses an answer larger than the response limit', async () => {
    const small = connectorFor(emulator.url, TEST_API_KEY, {}, { maxResponseBytes: 2000 });
    for (let index = 0; index < 40; index += 1)
      emulator.state.db.create('res.partner', { name: `Bulk ${index}` }, 2);
    const pages = small.extract({ selector: { model: 'res.partner' }, cursor: null, pageSize: 100 });
    await expect(pages[Symbol.asyncIterator]().next()).rejects.toMatchObject({
      class: 'permanent',
      code: 'odoo.response-too-large',
    });
    await small.close();
  });

  it('reports a request body the server refuses as too large', async () => {
    await odoo.close();
    await emulator.close();
    emulator = await startOdooEmulator({ apiKeys: [{ key: TEST_API_KEY }], maxBodyBytes: 4096 });
    odoo = connectorFor(emulator.url, TEST_API_KEY);
    const outcomes = await odoo.upsert('res.partner', [
      { key: 'big', payload: { name: 'x'.repeat(10_000) } },
    ]);
    expect(outcomes[0]).toMatchObject({ ok: false, error: { class: 'permanent', code: 'http.413' } });
  });

  it('says the server died when it stops mid-session', async () => {
    await emulator.close();
    await expect(count()).rejects.toMatchObject({ class: 'transient' });
  });
});

describe('serialization failures inside load', () => {
  interface LoadAnswer {
    result: { ids: number[] | false; messages: { type: string; message: string; record?: number }[] };
  }
  const rows = (count: number, tag: string): string[][] =>
    Array.from({ length: count }, (_, index) => [`ov.p${index}`, `Partner ${index} ${tag}`]);
  async function load(target: OdooEmulator, data: string[][]): Promise<LoadAnswer> {
    const response = await fetch(`${target.url}/jsonrpc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        method: 'call',
        id: 1,
        params: {
          service: 'object',
          method: 'execute_kw',
          args: ['odoo17', ADMIN_UID, 'admin', 'res.partner', 'load', [['id', 'name'], data]],
        },
      }),
      signal: AbortSignal.timeout(10_000),
    });
    return (await response.json()) as LoadAnswer;
  }
  const SERIALIZATION = 'could not serialize access due to concurrent update\n';
  const CUT_OFF = {
    type: 'warning',
    message:
      'Found more than 10 errors and more than one error per 10 records, interrupted to avoid showing too many errors.',
  };

  it('answers row messages, at most 10 and a warning, when the fault is set; the retry loads', async () => {
    emulator.faults.serializationConflictNext(1);
    const failed = await load(emulator, rows(15, 'a'));
    expect(failed.result.ids).toBe(false);
    expect(failed.result.messages.slice(0, 10)).toEqual(
      Array.from({ length: 10 }, (_, record) => ({
        rows: { from: record, to: record },
        record,
        type: 'error',
        message: SERIALIZATION,
      })),
    );
    expect(failed.result.messages[10]).toEqual(CUT_OFF);
    expect(emulator.faults.served).toBe(1);
    const retried = await load(emulator, rows(15, 'a'));
    expect(retried.result.ids).toHaveLength(15);
  });

  it('fails the rows a still-running load holds, and answers only once that load has', async () => {
    const slow = await startOdooEmulator({ latency: { perUpdatedMs: 5 } });
    try {
      await load(slow, rows(60, 'a'));
      const started = Date.now();
      const first = load(slow, rows(60, 'b')).then((answer) => ({ answer, at: Date.now() - started }));
      await sleep(50);
      const second = await load(slow, rows(60, 'c'));
      const secondAt = Date.now() - started;
      const { answer, at } = await first;
      expect(answer.result.ids).toHaveLength(60);
      expect(second.result.ids).toBe(false);
      expect(second.result.messages).toHaveLength(11);
      expect(second.result.messages[0]).toMatchObject({ record: 0, message: SERIALIZATION });
      expect(secondAt).toBeGreaterThanOrEqual(at);
      // Once the first has answered, its rows are free: the retry loads.
      expect((await load(slow, rows(60, 'c'))).result.ids).toHaveLength(60);
    } finally {
      await slow.close();
    }
  });
});

describe('malformed answers', () => {
  async function fakeServer(
    body: string,
    contentType = 'application/json',
  ): Promise<{ url: string; close: () => Promise<void> }> {
    const server = createServer((_request, response) =>
      response.writeHead(200, { 'content-type': contentType }).end(body),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  }

  it.each([
    ['not JSON at all', 'not json', 'odoo.not-json'],
    ['JSON that is not JSON-RPC', '{"hello":"world"}', 'odoo.bad-envelope'],
    [
      'a version reply of the wrong shape',
      '{"jsonrpc":"2.0","id":1,"result":{"server_version":17}}',
      'odoo.not-odoo',
    ],
  ])('rejects %s with a permanent error', async (_label, body, code) => {
    const server = await fakeServer(body);
    const client = connectorFor(server.url, TEST_API_KEY);
    await expect(client.describe()).rejects.toMatchObject({ class: 'permanent', code });
    await client.close();
    await server.close();
  });
});
