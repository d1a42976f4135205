import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OdooConnector } from '../../../main/connectors/odoo/index.js';
import { startOdooEmulator, type OdooEmulator } from '../../peers/odoo/index.js';
import { connectorFor, TEST_API_KEY } from './support/connector-setup.js';

/** Odoo 19: version detection picks JSON-2 with a bearer API key; real HTTP status codes. */

let emulator: OdooEmulator;
let odoo: OdooConnector;

beforeEach(async () => {
  emulator = await startOdooEmulator({
    version: '19.0',
    apiKeys: [{ key: TEST_API_KEY }, { key: 'demo-key-not-secret', login: 'demo' }],
  });
  odoo = connectorFor(emulator.url, TEST_API_KEY, { database: 'odoo19' });
});
afterEach(async () => {
  await odoo.close();
  await emulator.close();
});

describe('JSON-2 on Odoo 19', () => {
  it('detects Odoo 19 and speaks JSON-2 for ORM calls', async () => {
    expect(await odoo.describe()).toEqual({ serverVersion: '19.0', major: 19, protocol: 'json-2' });
    const outcomes = await odoo.upsert('res.partner', [
      { key: 'p1', payload: { name: 'One' } },
      { key: 'p2', payload: { name: '' } },
    ]);
    expect(outcomes[0]).toMatchObject({ ok: true, created: true });
    expect(outcomes[1]).toMatchObject({ ok: false, error: { code: 'odoo.load-row' } });
    const ormCalls = emulator.state.calls.filter((call) => call.model !== null);
    expect(ormCalls.length).toBeGreaterThan(0);
    expect(ormCalls.every((call) => call.protocol === 'json-2')).toBe(true);
  });

  it('reads incrementally over JSON-2', async () => {
    await odoo.create('res.partner', [{ name: 'Patient X' }, { name: 'Patient Y' }]);
    const pages = [];
    for await (const page of odoo.extract({
      selector: { model: 'res.partner', domain: [['name', 'like', 'Patient']] },
      cursor: null,
      pageSize: 1,
    })) {
      pages.push(page);
    }
    expect(pages.map((page) => page.records.length)).toEqual([1, 1]);
  });

  it.each([
    [
      'a validation error',
      () => odoo.create('product.product', [{ list_price: 1 }]),
      'permanent',
      'odoo.required-field',
    ],
    [
      'a missing record',
      () => odoo.write('res.partner', [999_999], { name: 'x' }),
      'permanent',
      'odoo.MissingError',
    ],
    ['an unknown model', () => odoo.fieldsGet('res.nope'), 'permanent', 'odoo.unknown-model'],
    [
      'an unknown method',
      () => odoo.callMethod('res.partner', 'frobnicate', [1]),
      'permanent',
      'odoo.unknown-method',
    ],
  ])('classes %s by the exception Odoo names, as over JSON-RPC', async (_label, call, klass, code) => {
    await expect(call()).rejects.toMatchObject({ class: klass, code });
  });

  it('classes an access error (403) as the user lacking a right, and keeps the Odoo message', async () => {
    const demo = connectorFor(emulator.url, 'demo-key-not-secret', { database: 'odoo19', login: 'demo' });
    await expect(demo.create('res.users', [{ name: 'Nope', login: 'nope' }])).rejects.toMatchObject({
      class: 'authentication',
      code: 'odoo.AccessError',
      message: expect.stringContaining(
        "You are not allowed to create 'User' (res.users) records.",
      ) as unknown,
    });
    await demo.close();
  });

  it('reports an expired or revoked key as authentication (401)', async () => {
    await odoo.describe();
    emulator.faults.expireApiKeys();
    await expect(odoo.create('res.partner', [{ name: 'x' }])).rejects.toMatchObject({
      class: 'authentication',
      code: 'odoo.api-key-rejected',
    });
  });

  it('classifies a 502 and a database serialization failure as transient', async () => {
    await odoo.describe();
    emulator.faults.failNext(1, 502).dbErrorNext();
    await expect(odoo.fieldsGet('res.partner')).rejects.toMatchObject({
      class: 'transient',
      code: 'http.502',
    });
    await expect(odoo.fieldsGet('res.partner')).rejects.toMatchObject({
      class: 'transient',
      code: 'odoo.concurrency',
    });
  });

  it('falls back to JSON-RPC for password logins, which JSON-2 does not accept', async () => {
    const withPassword = connectorFor(emulator.url, 'admin', { database: 'odoo19', authMethod: 'password' });
    expect((await withPassword.describe()).protocol).toBe('json-rpc');
    await expect(withPassword.create('res.partner', [{ name: 'Via JSON-RPC' }])).resolves.toHaveLength(1);
    await withPassword.close();
  });

  it('serves GET /web/version like Odoo 19', async () => {
    const response = await fetch(`${emulator.url}/web/version`);
    expect(await response.json()).toEqual({ version_info: [19, 0, 0, 'final', 0, ''], version: '19.0' });
  });

  it('refuses a bearer call to the wrong database', async () => {
    const wrongDb = connectorFor(emulator.url, TEST_API_KEY, { database: 'other', protocol: 'json-2' });
    await expect(wrongDb.fieldsGet('res.partner')).rejects.toMatchObject({
      class: 'configuration',
      code: 'odoo.database-missing',
    });
    await wrongDb.close();
  });
});
