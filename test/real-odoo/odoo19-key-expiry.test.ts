import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealOdoo, type RealOdoo } from '../peers/real-odoo/real-odoo.js';
import { integrationConnectors } from './support/integration-connectors.js';

// API-key expiry as Test connection reports it. Odoo 19 makes a non-administrator's key expire
// within its groups' maximum (one day by default: the harness's integration key expires in 23 h),
// so expiry is an everyday event there; Odoo 17's keys over JSON-RPC have no expiry to report.

let odoo: RealOdoo;
const connectors = integrationConnectors(() => odoo);

beforeAll(async () => {
  odoo = await startRealOdoo();
});
afterAll(async () => {
  await connectors.closeAll();
  await odoo.stop();
});

describe('API-key expiry in Test connection', () => {
  it('warns that the integration key expires within a day on 19; no key check on 17', async () => {
    const result = await connectors.connect().testConnection();
    const keyCheck = result.checks.find((check) => check.id === 'api-key');
    if (Number.parseFloat(odoo.series) >= 19) {
      expect(result.facts.protocol).toBe('json-2');
      expect(keyCheck?.status).toBe('warning');
      expect(keyCheck?.message).toMatch(/expires on \d{4}-\d{2}-\d{2} \(in 0 days\): create a new one/);
      expect(result.ok).toBe(true);
    } else {
      expect(result.facts.protocol).toBe('json-rpc');
      expect(keyCheck).toBeUndefined();
      expect(result.ok).toBe(true);
    }
  });

  it("refuses a key of another user than the connection's login, on both protocols", async () => {
    // The integration login with the administrator's key. JSON-2 itself sends no login, but Test
    // connection logs in with the pair first, and Odoo refuses it: the console never writes as
    // another user than the one the connection names.
    const result = await connectors.connect({}, odoo.admin.key).testConnection();
    expect(result.ok).toBe(false);
    expect(result.checks.find((check) => check.status === 'failed')).toEqual({
      id: 'credentials',
      label: 'Credentials',
      status: 'failed',
      message: `Odoo rejected the login '${odoo.integration.login}' with the stored API key. Check the login and enter the API key again.`,
    });
  });
});
