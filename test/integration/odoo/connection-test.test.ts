import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionTestResult } from '../../../shared/domain/connection-test.js';
import { startOdooEmulator, type OdooEmulator } from '../../peers/odoo/index.js';
import { connectorFor, TEST_API_KEY } from './support/connector-setup.js';
import { startSelfSignedServer } from './support/tls-server.js';

/** "Test connection" names exactly what is wrong, for every way a connection can be wrong. */

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function emulator(options: Parameters<typeof startOdooEmulator>[0] = {}): Promise<OdooEmulator> {
  const started = await startOdooEmulator({ apiKeys: [{ key: TEST_API_KEY }], ...options });
  cleanups.push(() => started.close());
  return started;
}

async function test(
  url: string,
  secret: string | null,
  overrides = {},
  models: string[] = [],
  extra = {},
): Promise<ConnectionTestResult> {
  const odoo = connectorFor(url, secret, overrides, extra);
  cleanups.push(() => odoo.close());
  return odoo.testConnection({ models });
}

const check = (result: ConnectionTestResult, id: string) => result.checks.find((item) => item.id === id);

describe('test connection', () => {
  it('passes on a healthy Odoo 17 and reports version, protocol and rights per model', async () => {
    const odoo = await emulator();
    const result = await test(odoo.url, TEST_API_KEY, {}, ['res.partner', 'stock.move', 'account.move']);
    expect(result.ok).toBe(true);
    expect(result.facts).toEqual({ serverVersion: '17.0', protocol: 'json-rpc', uid: '2' });
    expect(result.checks.map((item) => item.id)).toEqual([
      'url',
      'reachable',
      'tls',
      'version',
      'database',
      'credentials',
      ...['res.partner', 'stock.move', 'account.move'].flatMap((model) =>
        ['read', 'create', 'write'].map((op) => `access:${model}:${op}`),
      ),
    ]);
    expect(check(result, 'tls')?.status).toBe('skipped');
    expect(result.summary).toBe('Connected to Odoo 17.0 over JSON-RPC; access checked on 3 model(s).');
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('says the server is unreachable when nothing listens', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const result = await test(`http://127.0.0.1:${port}`, TEST_API_KEY);
    expect(result.ok).toBe(false);
    expect(check(result, 'reachable')).toMatchObject({ status: 'failed' });
    expect(result.summary).toContain('Connection refused');
    expect(result.checks.map((item) => item.id)).toEqual(['url', 'reachable']);
  });

  it('names a TLS failure on a self-signed certificate, and trusts an added CA', async () => {
    const tls = await startSelfSignedServer();
    cleanups.push(() => tls.close());
    const rejected = await test(tls.url, TEST_API_KEY);
    expect(check(rejected, 'reachable')?.status).toBe('passed');
    expect(check(rejected, 'tls')).toMatchObject({ status: 'failed' });
    expect(check(rejected, 'tls')?.message).toContain('DEPTH_ZERO_SELF_SIGNED_CERT');
    const trusted = await test(tls.url, TEST_API_KEY, {}, [], { ca: tls.certificate });
    expect(check(trusted, 'tls')?.status).toBe('passed');
    // That server is not Odoo, which is the next thing the operator needs to know.
    expect(check(trusted, 'version')).toMatchObject({ status: 'failed' });
  });

  it('refuses plain http to another host without an explicit opt-in, before any network call', async () => {
    const result = await test('http://odoo.clinic.example', TEST_API_KEY);
    expect(result.ok).toBe(false);
    expect(result.checks).toHaveLength(1);
    expect(check(result, 'url')?.message).toContain('Plain http is only allowed');
  });

  it('names a wrong database', async () => {
    const odoo = await emulator();
    const result = await test(odoo.url, TEST_API_KEY, { database: 'clinic_prod' });
    expect(check(result, 'database')).toMatchObject({
      status: 'failed',
      message: "There is no database 'clinic_prod' on this server. Check the database name.",
    });
  });

  it('names bad credentials without ever echoing the secret', async () => {
    const odoo = await emulator();
    const wrong = 'wrong-key-that-must-not-leak';
    const result = await test(odoo.url, wrong);
    expect(check(result, 'credentials')?.status).toBe('failed');
    expect(JSON.stringify(result)).not.toContain(wrong);
    const missing = await test(odoo.url, null);
    expect(check(missing, 'credentials')?.message).toContain('No API key or password is stored');
  });

  it('names a missing module and missing access rights per model', async () => {
    const odoo = await emulator();
    const result = await test(odoo.url, 'demo', { login: 'demo', authMethod: 'password' }, [
      'res.partner',
      'account.move',
      'mrp.production',
    ]);
    expect(result.ok).toBe(false);
    expect(check(result, 'access:res.partner:create')?.status).toBe('passed');
    expect(check(result, 'access:account.move:read')?.status).toBe('passed');
    expect(check(result, 'access:account.move:create')).toMatchObject({ status: 'failed' });
    expect(check(result, 'model:mrp.production')).toMatchObject({ status: 'failed' });
    expect(result.summary).toContain('may not create account.move');
  });

  it('names a server that is not Odoo', async () => {
    const server = createServer((_request, response) =>
      response.writeHead(200, { 'content-type': 'text/html' }).end('<html>router</html>'),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const result = await test(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, TEST_API_KEY);
    expect(check(result, 'version')).toMatchObject({ status: 'failed' });
    expect(check(result, 'version')?.message).toContain('not like Odoo');
  });

  it('refuses JSON-2 on Odoo 17 with a clear message', async () => {
    const odoo = await emulator();
    const result = await test(odoo.url, TEST_API_KEY, { protocol: 'json-2' });
    expect(check(result, 'version')?.message).toContain('JSON-2 needs Odoo 19 or later');
  });

  it('on Odoo 19 uses JSON-2, and warns when the API key expires soon', async () => {
    const soon = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 19).replace('T', ' ');
    const odoo = await emulator({
      version: '19.0',
      apiKeys: [{ key: TEST_API_KEY, name: 'sync console', expiresAt: soon }],
    });
    const result = await test(odoo.url, TEST_API_KEY, { database: 'odoo19' }, ['stock.move']);
    expect(result.ok).toBe(true);
    expect(result.facts).toMatchObject({ serverVersion: '19.0', protocol: 'json-2' });
    expect(check(result, 'api-key')).toMatchObject({ status: 'warning' });
    expect(check(result, 'api-key')?.message).toContain("'sync console' expires on");
    expect(check(result, 'access:stock.move:create')?.status).toBe('passed');
    expect(result.summary).toContain('with a warning');
  });

  it('on Odoo 19 says the key was rejected once it has expired', async () => {
    const odoo = await emulator({ version: '19.0' });
    odoo.faults.expireApiKeys();
    const result = await test(odoo.url, TEST_API_KEY, { database: 'odoo19' });
    expect(check(result, 'credentials')).toMatchObject({ status: 'failed' });
  });
});
