import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { FlowUsage } from '../../../main/connectors/flow-usage.js';
import type { ConnectionTestResult } from '../../../shared/domain/connection-test.js';
import { mappingSpecSchema, type MappingSpecInput } from '../../../shared/domain/mapping.js';
import { serviceChargesMapping, supplyConsumptionMapping } from '../../peers/demo/demo-mappings.js';
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
  flows: FlowUsage[] = [],
): Promise<ConnectionTestResult> {
  const odoo = connectorFor(url, secret, overrides, extra);
  cleanups.push(() => odoo.close());
  return odoo.testConnection({ models, flows });
}

/** A flow writing to (or reading from) the connection under test. */
function flow(
  flowName: string,
  settings: Record<string, unknown>,
  spec: MappingSpecInput | null,
  role: FlowUsage['role'] = 'target',
): FlowUsage {
  return { flowName, role, settings, mapping: spec === null ? null : mappingSpecSchema.parse(spec) };
}

const simpleSpec = (...targets: string[]): MappingSpecInput => ({
  key: 'id',
  fields: targets.map((target) => ({ target, expression: target })),
});

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
    expect(result.summary).toBe(
      'Connected to Odoo 17.0 over JSON-RPC; the user has the 9 right(s) on 3 model(s).',
    );
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('checks exactly the rights the flows need: their models, line models and referenced models', async () => {
    const odoo = await emulator();
    const flows = [
      flow('Patients', { model: 'res.partner', kind: 'upsert' }, simpleSpec('name', 'ref')),
      flow('Supply use', { model: 'stock.move', kind: 'upsert' }, supplyConsumptionMapping),
      flow('Charges', { model: 'account.move', kind: 'upsert' }, serviceChargesMapping),
      flow('Approvals', { model: 'purchase.order', domain: [] }, null, 'source'),
    ];
    const result = await test(odoo.url, TEST_API_KEY, {}, [], {}, flows);
    expect(result.ok, result.summary).toBe(true);
    expect(result.checks.filter((item) => item.id.startsWith('access:')).map((item) => item.id)).toEqual([
      'access:res.partner:read',
      'access:res.partner:create',
      'access:res.partner:write',
      'access:stock.move:read',
      'access:stock.move:create',
      'access:stock.move:write',
      'access:product.product:read',
      'access:stock.location:read',
      'access:account.move:read',
      'access:account.move:create',
      'access:account.move:write',
      'access:account.move.line:read',
      'access:account.move.line:create',
      'access:account.move.line:write',
      'access:purchase.order:read',
    ]);
    // ir.model.data is not needed: load resolves external IDs itself.
    expect(JSON.stringify(result.checks)).not.toContain('ir.model.data');
    expect(check(result, 'access:account.move.line:create')?.message).toBe(
      "admin may create account.move.line (flow 'Charges' (lines in invoice_line_ids))",
    );
    expect(check(result, 'access:res.partner:read')?.message).toBe(
      "admin may read res.partner (flow 'Patients' (upsert); flow 'Charges' (reference partner_id))",
    );
    expect(result.summary).toBe(
      'Connected to Odoo 17.0 over JSON-RPC; the user has the 15 right(s) on 7 model(s) that 4 flow(s) need.',
    );
  });

  it('names the right a flow needs and the user lacks, with the flow', async () => {
    const odoo = await emulator({ apiKeys: [{ key: TEST_API_KEY, login: 'demo' }] });
    const flows = [
      flow('Pharmacy catalogue', { model: 'product.product', kind: 'upsert' }, simpleSpec('name')),
    ];
    const result = await test(odoo.url, TEST_API_KEY, { login: 'demo' }, [], {}, flows);
    expect(result.ok).toBe(false);
    expect(check(result, 'access:product.product:read')?.status).toBe('passed');
    expect(check(result, 'access:product.product:create')).toMatchObject({
      status: 'failed',
      message:
        "demo may not create product.product: needed by flow 'Pharmacy catalogue' (upsert). Ask the Odoo administrator to give the user a group with that right.",
    });
    expect(result.summary).toBe(check(result, 'access:product.product:create')?.message);
  });

  it("names a mapped field or a flow's model that Odoo does not have", async () => {
    const odoo = await emulator();
    const flows = [
      flow('Patients', { model: 'res.partner' }, simpleSpec('name', 'no_such_field')),
      flow('Work orders', { model: 'mrp.production', kind: 'create' }, simpleSpec('name')),
    ];
    const result = await test(odoo.url, TEST_API_KEY, {}, [], {}, flows);
    expect(result.ok).toBe(false);
    expect(check(result, 'field:res.partner:no_such_field')).toMatchObject({
      status: 'failed',
      message:
        "Odoo has no field 'no_such_field' on res.partner, which flow 'Patients' maps: fix the mapping's target field.",
    });
    expect(check(result, 'model:mrp.production')).toMatchObject({
      status: 'failed',
      message: "The model mrp.production does not exist on this database. Needed by flow 'Work orders'.",
    });
    expect(check(result, 'access:res.partner:create')?.status).toBe('passed');
    expect(check(result, 'access:mrp.production:create')).toBeUndefined();
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

  it('checks models named by the caller, and names a missing module', async () => {
    const odoo = await emulator();
    const result = await test(odoo.url, 'demo', { login: 'demo', authMethod: 'password' }, [
      'res.partner',
      'mrp.production',
      'res.users',
    ]);
    expect(result.ok).toBe(false);
    expect(check(result, 'access:res.partner:create')?.status).toBe('passed');
    expect(check(result, 'access:res.users:read')?.status).toBe('passed');
    expect(check(result, 'access:res.users:create')).toMatchObject({ status: 'failed' });
    expect(check(result, 'model:mrp.production')).toMatchObject({ status: 'failed' });
    expect(result.summary).toContain('The model mrp.production does not exist');
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
