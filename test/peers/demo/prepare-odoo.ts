import type { OdooSettings } from '../../../shared/domain/connection.js';
import { demoMasterData, type MasterDataItem, type MasterDataModel } from './demo-master-data.js';
import { findExternalId, openDemoOdoo, type DemoOdooAccess } from './demo-odoo-access.js';
import { readDemoOdooModels, type DemoOdooModels } from './demo-odoo-models.js';

/**
 * Prepares an Odoo for the demo clinic: creates the master data the flows refer to (see
 * demo-master-data.ts) that is not there yet, and nothing else. It first only looks — which
 * external IDs exist, and whether this login may create what is missing — so that a login without
 * the rights (the least-privilege integration user cannot create stock locations or products) stops
 * BEFORE anything is written, with the exact list an Odoo administrator has to create. Existing
 * records are never written again, so a second start changes nothing.
 */

export interface DemoOdooPreparation {
  /** Records created now, per model (zero everywhere on a second start). */
  readonly created: Readonly<Record<MasterDataModel, number>>;
  /** Master data that was already there. */
  readonly existing: number;
  /** The demo's purchase orders, in DEMO_PURCHASE_ORDERS order. */
  readonly purchaseOrderIds: readonly number[];
  /** Purchase orders confirmed now (a start interrupted between create and confirm leaves drafts). */
  readonly confirmedNow: number;
  /** The forms of the models that differ between Odoo versions, as this server described them. */
  readonly models: DemoOdooModels;
}

/** Odoo lacks master data this login may not create; nothing was written. */
export class DemoOdooNotReady extends Error {
  constructor(
    message: string,
    readonly missing: readonly MasterDataItem[],
    readonly forbiddenModels: readonly string[],
  ) {
    super(message);
    this.name = 'DemoOdooNotReady';
  }
}

async function mayCreate(odoo: DemoOdooAccess, model: string): Promise<boolean> {
  // Odoo 18 renamed check_access_rights to has_access; JSON-2 servers (19+) only know the new one.
  const { protocol } = await odoo.connector.describe();
  const allowed =
    protocol === 'json-2'
      ? await odoo.call(model, 'has_access', ['create'])
      : await odoo.call(model, 'check_access_rights', ['create'], { raise_exception: false });
  return allowed === true;
}

function notReadyMessage(
  settings: OdooSettings,
  forbidden: readonly string[],
  items: readonly MasterDataItem[],
): string {
  return [
    `Odoo is not ready for the demo clinic, and the login "${settings.login}" may not prepare it: ` +
      `it may not create ${forbidden.join(', ')}. Nothing was written to Odoo.`,
    'An Odoo administrator must create, once:',
    ...items.map((item) => `  - ${item.description}`),
    "The quickest way: let the demo create them with an administrator's API key (Inventory /",
    'Administrator and product rights), then start the demo again with this login:',
    `  ODOO_API_KEY=<administrator's API key> npm run demo -- --prepare-odoo --odoo-url ${settings.baseUrl} ` +
      `--odoo-db ${settings.database} --odoo-user <administrator login>`,
    'By hand, external IDs are set in Settings › Technical › External Identifiers (developer mode).',
  ].join('\n');
}

function emptyCounts(): Record<MasterDataModel, number> {
  return { 'stock.location': 0, 'product.product': 0, 'res.partner': 0, 'purchase.order': 0 };
}

export async function prepareDemoOdoo(settings: OdooSettings, apiKey: string): Promise<DemoOdooPreparation> {
  const odoo = openDemoOdoo(settings, apiKey);
  const module = settings.externalIdModule;
  try {
    // 1. Look only: how this server's models look (its fields_get; its first call runs alone so
    //    that the session detects the version and logs in once), then which external IDs exist.
    const odooModels = await readDemoOdooModels(odoo);
    const items = demoMasterData(odooModels);
    const found = await Promise.all(items.map((item) => findExternalId(odoo, module, item.key)));
    const ids = new Map<string, number | null>();
    const missing: MasterDataItem[] = [];
    items.forEach((item, index) => {
      const target = found[index];
      if (target === null || target === undefined) {
        missing.push(item);
        return;
      }
      if (target.model !== item.model) {
        throw new Error(
          `The external ID ${module}.${item.key} names a ${target.model} record in Odoo, not a ${item.model}: ` +
            'remove it or use another external ID module for the demo connection.',
        );
      }
      ids.set(item.key, target.resId);
    });

    // 2. Still only looking: may this login create everything that is missing?
    const models = [...new Set(missing.map((item) => item.model))];
    const allowed = await Promise.all(models.map((model) => mayCreate(odoo, model)));
    const forbidden = models.filter((_, index) => allowed[index] !== true);
    if (forbidden.length > 0) {
      const needAdmin = missing.filter((item) => forbidden.includes(item.model));
      throw new DemoOdooNotReady(notReadyMessage(settings, forbidden, needAdmin), needAdmin, forbidden);
    }

    // 3. Create what is missing, model by model in dependency order, by external ID.
    const created = emptyCounts();
    for (const model of models) {
      const rows = missing.filter((item) => item.model === model);
      const outcomes = await odoo.connector.upsert(
        model,
        rows.map((item) => ({ key: item.key, payload: item.payload })),
      );
      for (const outcome of outcomes) {
        if (!outcome.ok) {
          throw new Error(
            `Odoo refused the demo's ${model} ${module}.${outcome.key}: ${outcome.error.message} (${outcome.error.code})`,
          );
        }
        ids.set(outcome.key, Number(outcome.targetId));
      }
      created[model] = rows.length;
    }

    // 4. Confirm the demo's purchase orders that are still drafts (new ones, or a start that was
    //    interrupted between creating and confirming).
    const orderKeys = items.filter((item) => item.model === 'purchase.order').map((item) => item.key);
    const purchaseOrderIds = orderKeys.map((key) => {
      const id = ids.get(key);
      if (typeof id !== 'number')
        throw new Error(`The login may not read the purchase order ${module}.${key}`);
      return id;
    });
    const states = (await odoo.call('purchase.order', 'read', [purchaseOrderIds], {
      fields: ['state'],
    })) as { id: number; state: string }[];
    const drafts = states.filter((order) => order.state === 'draft' || order.state === 'sent');
    if (drafts.length > 0)
      await odoo.connector.callMethod(
        'purchase.order',
        'button_confirm',
        drafts.map((order) => order.id),
      );
    return {
      created,
      existing: items.length - missing.length,
      purchaseOrderIds,
      confirmedNow: drafts.length,
      models: odooModels,
    };
  } finally {
    await odoo.close();
  }
}
