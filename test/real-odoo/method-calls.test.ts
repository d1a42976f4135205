import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OdooConnector } from '../../main/connectors/odoo/index.js';
import { connectorFor } from '../integration/odoo/support/connector-setup.js';
import { startRealOdoo, type RealOdoo } from '../peers/real-odoo/real-odoo.js';

// Methods called through the connector as the real server answers them: Odoo leaves `result` out
// of the reply when a method returns None, which the connector once rejected as a bad envelope.

let odoo: RealOdoo;
let connector: OdooConnector;

beforeAll(async () => {
  odoo = await startRealOdoo();
  connector = connectorFor(odoo.url, odoo.integration.key, {
    database: odoo.database,
    login: odoo.integration.login,
    allowInsecureHttp: true,
  });
});
afterAll(async () => {
  await connector.close();
  await odoo.stop();
});

describe('method calls on a real Odoo 17', () => {
  it('posts an invoice and resets it to draft (a method that returns None)', async () => {
    const partner = Number(await odoo.adminRpc.call('res.partner', 'create', [{ name: 'Method Patient' }]));
    const [invoice] = await connector.create('account.move', [
      {
        move_type: 'out_invoice',
        partner_id: partner,
        invoice_date: '2026-11-30',
        invoice_line_ids: [[0, 0, { name: 'Consultation', quantity: 1, price_unit: 40 }]],
      },
    ]);
    expect(invoice).toBeGreaterThan(0);
    const id = invoice ?? 0;
    await expect(connector.callMethod('account.move', 'action_post', [id])).resolves.toBe(false);
    await expect(connector.callMethod('account.move', 'button_draft', [id])).resolves.toBeNull();
    const [row] = await odoo.adminRpc.searchRead('account.move', [['id', '=', id]], ['state']);
    expect(row?.state).toBe('draft');
  });
});
