import type { OdooRpcClient } from '../../peers/real-odoo/admin-rpc.js';

/**
 * A user poorer than the integration user by exactly the invoice-line rights: the same contacts and
 * inventory groups, and instead of Invoicing / Billing a group of its own that may read, create and
 * write invoices (account.move) but only read their lines (account.move.line). It has no Purchase
 * group either, because Purchase / User grants create and write on account.move.line too (17.0's
 * purchase/security/ir.model.access.csv); Inventory / User still lets it read purchase orders.
 * Made through JSON-RPC as admin; it logs in with its password, which JSON-RPC accepts in place of
 * an API key.
 */

export interface PoorerUser {
  readonly login: string;
  readonly password: string;
  readonly uid: number;
}

const BASE_GROUPS = ['base.group_user', 'base.group_partner_manager', 'stock.group_stock_user'] as const;

async function modelId(admin: OdooRpcClient, model: string): Promise<number> {
  const [row] = await admin.searchRead('ir.model', [['model', '=', model]], ['id']);
  if (row === undefined) throw new Error(`No model ${model} on this Odoo`);
  return Number(row.id);
}

export async function createUserWithoutInvoiceLines(admin: OdooRpcClient): Promise<PoorerUser> {
  const access = (name: string, model: number, perms: { create: boolean; write: boolean }) => [
    0,
    0,
    {
      name,
      model_id: model,
      perm_read: true,
      perm_create: perms.create,
      perm_write: perms.write,
      perm_unlink: false,
    },
  ];
  const group = Number(
    await admin.call('res.groups', 'create', [
      {
        name: 'OSC test: invoices without their lines',
        model_access: [
          access('osc test invoices', await modelId(admin, 'account.move'), { create: true, write: true }),
          access('osc test invoice lines (read)', await modelId(admin, 'account.move.line'), {
            create: false,
            write: false,
          }),
        ],
      },
    ]),
  );
  const groups: number[] = [group];
  for (const xmlId of BASE_GROUPS) {
    const found = await admin.resolveXmlId(xmlId);
    if (found === null) throw new Error(`Group ${xmlId} does not exist on this Odoo`);
    groups.push(found.id);
  }
  // 17.0 names the field groups_id, 19.0 group_ids: ask the server rather than guess from its version.
  const userFields = (await admin.call('res.users', 'fields_get', [], { attributes: ['type'] })) as Record<
    string,
    unknown
  >;
  const groupsField = 'group_ids' in userFields ? 'group_ids' : 'groups_id';
  const login = 'osc_no_invoice_lines';
  const password = 'osc-no-invoice-lines-password';
  const uid = Number(
    await admin.call('res.users', 'create', [
      { name: 'OSC without invoice lines', login, password, [groupsField]: [[6, 0, groups]] },
    ]),
  );
  return { login, password, uid };
}
