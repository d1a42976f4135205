import type { OdooRpcClient } from '../peers/real-odoo/admin-rpc.js';

/**
 * Reading the demo clinic back out of the real Odoo as admin, with the harness's plain JSON-RPC
 * client (not the console's connector): external IDs, records, and a snapshot that shows whether a
 * rerun or a second start changed anything.
 */

export interface XmlidTarget {
  readonly model: string;
  readonly id: number;
}

/** Every external ID under `module` (default: the console's osc_sync), full name → record. */
export async function externalIds(
  admin: OdooRpcClient,
  module = 'osc_sync',
): Promise<Map<string, XmlidTarget>> {
  const rows = await admin.searchRead(
    'ir.model.data',
    [['module', '=', module]],
    ['name', 'model', 'res_id'],
  );
  return new Map(
    rows.map((row) => [
      `${module}.${String(row.name)}`,
      { model: String(row.model), id: Number(row.res_id) },
    ]),
  );
}

export function idOf(xmlids: ReadonlyMap<string, XmlidTarget>, fullName: string, model: string): number {
  const target = xmlids.get(fullName);
  if (target === undefined) throw new Error(`Odoo has no ${fullName}`);
  if (target.model !== model) throw new Error(`${fullName} is a ${target.model}, not a ${model}`);
  return target.id;
}

/** many2one values come back as [id, display name] or false. */
export const m2oId = (value: unknown): number | false =>
  Array.isArray(value) && typeof value[0] === 'number' ? value[0] : false;

export async function readById(
  admin: OdooRpcClient,
  model: string,
  ids: readonly number[],
  fields: string[],
): Promise<Map<number, Record<string, unknown>>> {
  const rows = (await admin.call(model, 'read', [ids], { fields })) as Record<string, unknown>[];
  return new Map(rows.map((row) => [Number(row.id), row]));
}

/** The models the demo writes into, and the ones its purchase orders make Odoo write. */
export const DEMO_MODELS = [
  'res.partner',
  'product.product',
  'product.template',
  'stock.location',
  'stock.move',
  'stock.move.line',
  'stock.picking',
  'account.move',
  'account.move.line',
  'purchase.order',
  'purchase.order.line',
] as const;

export interface OdooSnapshot {
  /** Every record of each model (ours or not): nothing new may appear. */
  readonly counts: Readonly<Record<string, number>>;
  /** Every osc_sync external ID with the record it names. */
  readonly xmlids: readonly string[];
  /** id → write_date of every record an osc_sync external ID names, per model. */
  readonly writeDates: Readonly<Record<string, Readonly<Record<number, string>>>>;
}

export async function snapshotOdoo(admin: OdooRpcClient): Promise<OdooSnapshot> {
  const counts: Record<string, number> = {};
  // Archived records count too: a start must not even create something and archive it.
  for (const model of DEMO_MODELS)
    counts[model] = Number(
      await admin.call(model, 'search_count', [[]], { context: { active_test: false } }),
    );
  const xmlids = await externalIds(admin);
  const byModel = new Map<string, number[]>();
  for (const target of xmlids.values())
    byModel.set(target.model, [...(byModel.get(target.model) ?? []), target.id]);
  const writeDates: Record<string, Record<number, string>> = {};
  for (const [model, ids] of byModel) {
    const rows = await readById(admin, model, ids, ['write_date']);
    writeDates[model] = Object.fromEntries([...rows].map(([id, row]) => [id, String(row.write_date)]));
  }
  return {
    counts,
    xmlids: [...xmlids].map(([name, target]) => `${name} → ${target.model}:${target.id}`).sort(),
    writeDates,
  };
}
