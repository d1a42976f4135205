import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OdooRpcError } from '../peers/real-odoo/admin-rpc.js';
import { startRealOdoo, type RealOdoo } from '../peers/real-odoo/real-odoo.js';

// The harness itself: a fresh database per suite, both API keys working, and the integration user
// really least-privileged (the premise of every rights test that follows).

let odoo: RealOdoo;
beforeAll(async () => {
  odoo = await startRealOdoo();
});
afterAll(async () => {
  await odoo.stop();
});

describe('real Odoo harness', () => {
  it('serves the clean database with the stock, account and purchase apps', async () => {
    const modules = await odoo.adminRpc.searchRead(
      'ir.module.module',
      [
        ['name', 'in', ['stock', 'account', 'purchase']],
        ['state', '=', 'installed'],
      ],
      ['name'],
    );
    expect(modules.map((row) => row.name).sort()).toEqual(['account', 'purchase', 'stock']);
    expect(await odoo.adminRpc.searchCount('res.partner', [['customer_rank', '>', 0]])).toBe(0);
  });

  it('logs both users in with their API keys; the integration user cannot read ir.model.data', async () => {
    expect(await odoo.adminRpc.login()).toBe(2);
    expect(await odoo.userRpc.login()).toBeGreaterThan(2);
    await expect(odoo.userRpc.searchRead('ir.model.data', [], ['name'], { limit: 1 })).rejects.toMatchObject({
      odooName: 'odoo.exceptions.AccessError',
    });
    await expect(odoo.userRpc.searchCount('res.partner', [])).resolves.toBeGreaterThan(0);
    expect(OdooRpcError.name).toBe('OdooRpcError');
  });

  it("lets the integration key in over the series' own API (JSON-2 with a bearer key from 19.0 on)", async () => {
    if (Number.parseFloat(odoo.series) >= 19) {
      const response = await fetch(`${odoo.url}/json/2/res.partner/search_count`, {
        method: 'POST',
        headers: {
          authorization: `bearer ${odoo.integration.key}`,
          'content-type': 'application/json',
          'x-odoo-database': odoo.database,
        },
        body: JSON.stringify({ domain: [] }),
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toBeGreaterThan(0);
    } else {
      const response = await fetch(`${odoo.url}/json/2/res.partner/search_count`, { method: 'POST' });
      expect(response.status).toBe(404);
      expect(await odoo.userRpc.searchCount('res.partner', [])).toBeGreaterThan(0);
    }
  });
});
