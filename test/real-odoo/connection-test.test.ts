import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionTestResult } from '../../shared/domain/connection-test.js';
import type { OdooSettings } from '../../shared/domain/connection.js';
import { connectorFor } from '../integration/odoo/support/connector-setup.js';
import { seedDemoClinic, type DemoClinic } from '../peers/demo/seed-demo-clinic.js';
import { startRealOdoo, type RealOdoo } from '../peers/real-odoo/real-odoo.js';
import { makeTempDir } from '../support/temp-dir.js';
import type { TestCaller } from '../support/test-caller.js';
import { startTestCore, type TestCore } from '../support/test-core.js';
import { createUserWithoutInvoiceLines } from './support/poorer-user.js';

// "Test connection" against a real Odoo 17 or 19, through the console's API: the rights it checks
// are the ones the demo clinic's flows need (models, invoice line models, referenced models), so it
// is green for the least-privilege integration user and red, naming the right and the flows, for a
// user that would then fail every invoice write. The demo's mappings are seeded per the target's
// fields_get (19's stock.move has no `name`), so a flow that does not fit the server would show here.

let odoo: RealOdoo;
let core: TestCore;
let itStaff: TestCaller;
let clinic: DemoClinic;
let cleanupDrop: () => void;

const INVOICE_FLOWS = [
  'Service charges → Odoo customer invoices',
  'Supplier invoices → Odoo vendor bills',
] as const;

beforeAll(async () => {
  odoo = await startRealOdoo();
  core = await startTestCore();
  itStaff = await core.operator('it', ['it-staff']);
  const drop = makeTempDir('osc-drop-');
  cleanupDrop = drop.cleanup;
  // The FHIR server and the supplier portal are never called by "Test connection" of the Odoo
  // connection: their connections only have to exist for the flows to.
  clinic = await seedDemoClinic(
    itStaff,
    core.admin,
    {
      odoo: {
        url: odoo.url,
        database: odoo.database,
        login: odoo.integration.login,
        apiKey: odoo.integration.key,
      },
      fhir: { url: 'http://127.0.0.1:9/fhir', token: 'unused-token-0001' },
      supplierPortal: { url: 'http://127.0.0.1:9/hooks/po', signingSecret: 'unused-signing-secret' },
      supplierDrop: { folder: join(drop.dir, 'incoming') },
    },
    { schedules: 'manual' },
  );
});
afterAll(async () => {
  await core.close();
  cleanupDrop();
  await odoo.stop();
});

async function odooSettings(): Promise<OdooSettings> {
  const connection = await itStaff.value('connections.get', { id: clinic.odooConnectionId });
  if (connection.settings.kind !== 'odoo') throw new Error('not an Odoo connection');
  return connection.settings;
}

async function reconfigure(change: Partial<OdooSettings>, secret: string): Promise<ConnectionTestResult> {
  const connection = await itStaff.value('connections.get', { id: clinic.odooConnectionId });
  await itStaff.value('connections.update', {
    id: connection.id,
    name: connection.name,
    settings: { ...(await odooSettings()), ...change },
  });
  await itStaff.value('connections.setSecret', { id: connection.id, secret });
  return itStaff.value('connections.test', { id: connection.id });
}

const byId = (result: ConnectionTestResult, id: string) => result.checks.find((check) => check.id === id);
const accessIds = (result: ConnectionTestResult) =>
  result.checks.filter((check) => check.id.startsWith('access:')).map((check) => check.id);

describe('Test connection on a real Odoo checks the rights the flows need', () => {
  it('is green for the least-privilege integration user, without any ir.model.data right', async () => {
    const result = await itStaff.value('connections.test', { id: clinic.odooConnectionId });
    expect(result.ok, result.summary).toBe(true);
    expect(accessIds(result).sort()).toEqual(
      [
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
      ].sort(),
    );
    expect(result.checks.every((check) => check.status !== 'failed')).toBe(true);
    expect(JSON.stringify(result)).not.toContain('ir.model.data');
    expect(byId(result, 'access:account.move.line:create')?.message).toBe(
      `osc_integration may create account.move.line (${INVOICE_FLOWS.map((flow) => `flow '${flow}' (lines in invoice_line_ids)`).join('; ')})`,
    );
    const rights = 'the user has the 15 right(s) on 7 model(s) that 5 flow(s) need';
    if (Number.parseFloat(odoo.series) >= 19)
      // 19 makes a non-administrator's key expire within a day: green, with that warning.
      expect(result.summary).toMatch(
        new RegExp(
          `^Connected to Odoo 19\\.0 over JSON-2; ${rights.replace(/[()]/g, '\\$&')}, with a warning: ` +
            `The API key '[^']+' expires on \\d{4}-\\d{2}-\\d{2} \\(in 0 days\\)`,
        ),
      );
    else expect(result.summary).toBe(`Connected to Odoo 17.0 over JSON-RPC; ${rights}.`);
    expect(JSON.stringify(result)).not.toContain(odoo.integration.key);
  });

  it('is red for a user without invoice-line rights, naming the right and the flows, and that user cannot write invoices', async () => {
    const poorer = await createUserWithoutInvoiceLines(odoo.adminRpc);
    const result = await reconfigure({ login: poorer.login, authMethod: 'password' }, poorer.password);
    expect(result.ok).toBe(false);
    const failed = result.checks.filter((check) => check.status === 'failed');
    expect(failed.map((check) => check.id)).toEqual([
      'access:account.move.line:create',
      'access:account.move.line:write',
    ]);
    const reasons = INVOICE_FLOWS.map((flow) => `flow '${flow}' (lines in invoice_line_ids)`).join('; ');
    expect(failed[0]?.message).toBe(
      `${poorer.login} may not create account.move.line: needed by ${reasons}. Ask the Odoo administrator to give the user a group with that right.`,
    );
    expect(result.summary).toBe(failed[0]?.message);
    expect(byId(result, 'access:account.move:create')?.status).toBe('passed');

    // The check is not theoretical: the same user's invoice upsert fails on exactly that right.
    const connector = connectorFor(odoo.url, poorer.password, {
      ...(await odooSettings()),
      login: poorer.login,
      authMethod: 'password',
    });
    try {
      const [outcome] = await connector.upsert('account.move', [
        {
          key: 'rights_probe_invoice',
          payload: {
            move_type: 'out_invoice',
            'partner_id/id': 'base.main_partner',
            invoice_line_ids: [{ name: 'Consultation', quantity: 1, price_unit: 20 }],
          },
        },
      ]);
      expect(outcome?.ok).toBe(false);
      expect(outcome?.ok === false && outcome.error.message).toContain(
        "You are not allowed to create 'Journal Item' (account.move.line) records.",
      );
    } finally {
      await connector.close();
    }
  });

  it('is red at the right check for a wrong API key, login or database', async () => {
    const key = odoo.integration.key;
    const login = odoo.integration.login;
    const wrongKey = await reconfigure({ login, authMethod: 'api-key' }, 'not-the-key-0000');
    expect(wrongKey.checks.find((check) => check.status === 'failed')).toMatchObject({
      id: 'credentials',
      message: `Odoo rejected the login '${login}' with the stored API key. Check the login and enter the API key again.`,
    });
    expect(accessIds(wrongKey)).toEqual([]);
    expect(JSON.stringify(wrongKey)).not.toContain('not-the-key-0000');

    const wrongLogin = await reconfigure({ login: 'nobody', authMethod: 'api-key' }, key);
    expect(wrongLogin.checks.find((check) => check.status === 'failed')).toMatchObject({
      id: 'credentials',
      message:
        "Odoo rejected the login 'nobody' with the stored API key. Check the login and enter the API key again.",
    });

    const wrongDb = await reconfigure({ login, database: 'clinic_nodb' }, key);
    expect(wrongDb.checks.find((check) => check.status === 'failed')).toMatchObject({
      id: 'database',
      message: "There is no database 'clinic_nodb' on this server. Check the database name.",
    });
    expect(byId(wrongDb, 'reachable')?.status).toBe('passed');

    const restored = await reconfigure({ login, database: odoo.database }, key);
    expect(restored.ok, restored.summary).toBe(true);
  });
});
