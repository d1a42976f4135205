import { accessError } from './odoo-error.js';

/**
 * Odoo 17's model access rights (ir.model.access) for the models the emulator has, row for row
 * as the installed addons declare them (addons/<module>/security/ir.model.access.csv of base,
 * product, uom, stock, account, purchase, purchase_stock, stock_account), and the AccessError Odoo
 * words from them. Users get rights only through groups, as in Odoo: the least-privilege
 * integration user of the real-Odoo harness is INTEGRATION_GROUPS, and its answers were checked
 * against a real server (test/real-odoo/emulator-contract.test.ts).
 */

export type Operation = 'read' | 'write' | 'create' | 'unlink';

/** A group's name as AccessError lists it: "<category>/<group>". */
const GROUP_NAMES: Readonly<Record<string, string>> = {
  'base.group_public': 'User types/Public',
  'base.group_portal': 'User types/Portal',
  'base.group_user': 'User types/Internal User',
  'base.group_partner_manager': 'Extra Rights/Contact Creation',
  'base.group_erp_manager': 'Administration/Access Rights',
  'base.group_system': 'Administration/Settings',
  'account.group_account_readonly': 'Technical/Show Accounting Features - Readonly',
  'account.group_account_invoice': 'Invoicing/Billing',
  'account.group_account_manager': 'Invoicing/Billing Administrator',
  'stock.group_stock_user': 'Inventory/User',
  'stock.group_stock_manager': 'Inventory/Administrator',
  'purchase.group_purchase_user': 'Purchase/User',
  'purchase.group_purchase_manager': 'Purchase/Administrator',
};

/** One ir.model.access row: a group and the operations it grants ('r', 'w', 'c', 'u'). */
type AccessRow = readonly [group: string, perms: string];

const MODEL_ACCESS: Readonly<Record<string, readonly AccessRow[]>> = {
  'res.partner': [
    ['base.group_public', 'r'],
    ['base.group_portal', 'r'],
    ['base.group_partner_manager', 'rwcu'],
    ['base.group_user', 'r'],
    ['account.group_account_manager', 'r'],
    ['purchase.group_purchase_user', 'r'],
    ['purchase.group_purchase_manager', 'rwc'],
    ['stock.group_stock_manager', 'rwc'],
  ],
  'res.country': [
    ['base.group_public', 'r'],
    ['base.group_portal', 'r'],
    ['base.group_user', 'r'],
    ['base.group_partner_manager', 'r'],
    ['base.group_system', 'rwcu'],
  ],
  'res.users': [
    ['base.group_public', 'r'],
    ['base.group_portal', 'r'],
    ['base.group_user', 'r'],
    ['base.group_erp_manager', 'rwcu'],
  ],
  // Keys are made through the user's preferences wizard, never written directly.
  'res.users.apikeys': [
    ['base.group_user', 'r'],
    ['base.group_portal', 'r'],
  ],
  'uom.uom': [
    ['base.group_system', 'rwcu'],
    ['base.group_user', 'r'],
    ['purchase.group_purchase_manager', 'rwcu'],
    ['stock.group_stock_manager', 'rwcu'],
  ],
  'ir.model.data': [
    ['base.group_erp_manager', 'rwcu'],
    ['base.group_user', ''],
  ],
  'product.product': [
    ['account.group_account_readonly', 'r'],
    ['account.group_account_manager', 'rwcu'],
    ['base.group_user', 'r'],
    ['base.group_system', 'rwcu'],
    ['purchase.group_purchase_user', 'r'],
    ['purchase.group_purchase_manager', 'rwcu'],
    ['stock.group_stock_user', 'r'],
    ['stock.group_stock_manager', 'rwcu'],
  ],
  'stock.location': [
    ['purchase.group_purchase_user', 'r'],
    ['purchase.group_purchase_manager', 'r'],
    ['base.group_partner_manager', 'r'],
    ['stock.group_stock_manager', 'rwcu'],
    ['base.group_user', 'r'],
  ],
  'stock.move': [
    ['purchase.group_purchase_user', 'rwc'],
    ['purchase.group_purchase_manager', 'rwcu'],
    ['stock.group_stock_manager', 'rwcu'],
    ['stock.group_stock_user', 'rwc'],
    ['account.group_account_readonly', 'r'],
    ['account.group_account_invoice', 'rwc'],
  ],
  'account.move': [
    ['account.group_account_manager', 'r'],
    ['account.group_account_readonly', 'r'],
    ['account.group_account_invoice', 'rwcu'],
    ['base.group_portal', 'r'],
    ['purchase.group_purchase_user', 'rwcu'],
  ],
  'account.move.line': [
    ['account.group_account_manager', 'r'],
    ['account.group_account_readonly', 'r'],
    ['account.group_account_invoice', 'rwcu'],
    ['base.group_portal', 'r'],
    ['purchase.group_purchase_manager', 'rwcu'],
    ['purchase.group_purchase_user', 'rwc'],
  ],
  'purchase.order': [
    ['purchase.group_purchase_user', 'rwcu'],
    ['purchase.group_purchase_manager', 'rwcu'],
    ['account.group_account_readonly', 'r'],
    ['account.group_account_invoice', 'rw'],
    ['base.group_portal', 'r'],
    ['stock.group_stock_user', 'r'],
  ],
  'purchase.order.line': [
    ['purchase.group_purchase_user', 'rwcu'],
    ['purchase.group_purchase_manager', 'rwcu'],
    ['account.group_account_readonly', 'r'],
    ['account.group_account_invoice', 'rw'],
    ['base.group_portal', 'r'],
    ['stock.group_stock_user', 'r'],
  ],
};

const PERM: Readonly<Record<Operation, string>> = { read: 'r', write: 'w', create: 'c', unlink: 'u' };

/** What the real harness gives its integration user (test/peers/real-odoo/integration-user.ts). */
export const INTEGRATION_GROUPS: readonly string[] = [
  'base.group_user',
  'base.group_partner_manager',
  'account.group_account_invoice',
  'stock.group_stock_user',
  'purchase.group_purchase_user',
];

/** A fresh database's admin: every group but the portal and public user types. */
export const ADMIN_GROUPS: readonly string[] = Object.keys(GROUP_NAMES).filter(
  (group) => group !== 'base.group_portal' && group !== 'base.group_public',
);

export function knownGroup(group: string): boolean {
  return group in GROUP_NAMES;
}

export function groupsAllow(groups: readonly string[], model: string, operation: Operation): boolean {
  return (MODEL_ACCESS[model] ?? []).some(
    ([group, perms]) => perms.includes(PERM[operation]) && groups.includes(group),
  );
}

const HEADS: Readonly<Record<Operation, string>> = {
  read: 'access',
  write: 'modify',
  create: 'create',
  unlink: 'delete',
};

/** The AccessError of ir.model.access.check(), listing the groups that would allow it. */
export function modelAccessError(model: string, description: string, operation: Operation): Error {
  // Odoo orders them by category, then group name (its SQL's ORDER BY c.name, g.name).
  const names = (MODEL_ACCESS[model] ?? [])
    .filter(([, perms]) => perms.includes(PERM[operation]))
    .map(([group]) => GROUP_NAMES[group] ?? group)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const groupInfo =
    names.length > 0
      ? `This operation is allowed for the following groups:\n${names.map((name) => `\t- ${name}`).join('\n')}`
      : 'No group currently allows this operation.';
  return accessError(
    `You are not allowed to ${HEADS[operation]} '${description}' (${model}) records.\n\n${groupInfo}\n\nContact your administrator to request access if necessary.`,
  );
}
