import type { OdooRpcClient } from './admin-rpc.js';

/**
 * The least-privilege integration user the console is meant to run as: business rights on the
 * models the clinic flows write (contacts, invoicing, inventory, purchase), no Odoo administration,
 * so it cannot read ir.model.data.
 */

export const INTEGRATION_LOGIN = 'osc_integration';
export const INTEGRATION_PASSWORD = 'osc-integration-password';

export const INTEGRATION_GROUPS = [
  'base.group_user',
  'base.group_partner_manager',
  'account.group_account_invoice',
  'stock.group_stock_user',
  'purchase.group_purchase_user',
] as const;

export async function createIntegrationUser(admin: OdooRpcClient): Promise<number> {
  const groupIds: number[] = [];
  for (const xmlId of INTEGRATION_GROUPS) {
    const group = await admin.resolveXmlId(xmlId);
    if (group === null) throw new Error(`Group ${xmlId} does not exist on this Odoo`);
    groupIds.push(group.id);
  }
  // 17.0 names the field groups_id, 19.0 group_ids: ask the server rather than guess from its version.
  const fields = (await admin.call('res.users', 'fields_get', [], { attributes: ['type'] })) as Record<
    string,
    unknown
  >;
  const groupsField = 'group_ids' in fields ? 'group_ids' : 'groups_id';
  const id = await admin.call('res.users', 'create', [
    {
      name: 'OSC integration',
      login: INTEGRATION_LOGIN,
      password: INTEGRATION_PASSWORD,
      [groupsField]: [[6, 0, groupIds]],
    },
  ]);
  return Number(id);
}
