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
});
