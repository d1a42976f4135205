import { CONSUMPTION_LOCATION } from './demo-mappings.js';
import { findExternalId, type DemoOdooAccess } from './demo-odoo-access.js';

/**
 * Where the models the demo writes differ between Odoo versions, the demo asks the server (its
 * `fields_get` and its external IDs) instead of going by the version number:
 * - the product kind: Odoo 17 has `detailed_type` (consu / service / product); Odoo 19 dropped it for
 *   `type` (consu "Goods" / service / combo) plus the stock app's `is_storable` ("Track Inventory");
 * - a stock move's description: Odoo 17's required `name`; Odoo 19's stock.move has no `name`, its
 *   free-text description is `description_picking` (stored in description_picking_manual);
 * - the consumption location's parent: Odoo 17's "Virtual Locations"
 *   (stock.stock_location_locations_virtual); Odoo 19 has no such record and keeps its own
 *   inventory-loss locations ("Inventory adjustment", "Scrap") at the top level, so the demo's goes
 *   there too.
 * What was chosen is said in the demo's output (describeDemoOdooModels).
 */

export interface ProductKindForm {
  /** How the form is named in the demo's output. */
  readonly form: 'detailed_type' | 'type + is_storable' | 'type';
  /** The fields a supply item (a consumable, stock not tracked) is created with. */
  readonly supply: Readonly<Record<string, unknown>>;
  readonly service: Readonly<Record<string, unknown>>;
  /** The same in an Odoo user's words, with Odoo's own labels: `Product Type "Consumable"`. */
  readonly supplyWords: string;
  readonly serviceWords: string;
}

export interface DemoOdooModels {
  readonly productKind: ProductKindForm;
  /** The stock.move field the supply use's description goes to. */
  readonly moveDescriptionField: 'name' | 'description_picking';
  /** The consumption location's parent, or null: at the top level, as this Odoo keeps its own. */
  readonly locationParent: { readonly xmlid: string; readonly name: string } | null;
}

interface FieldInfo {
  readonly type?: string;
  readonly string?: string;
  readonly selection?: readonly (readonly [string, string])[];
}

async function fieldsOf(odoo: DemoOdooAccess, model: string): Promise<Readonly<Record<string, FieldInfo>>> {
  const answer = await odoo.call(model, 'fields_get', [], { attributes: ['type', 'string', 'selection'] });
  if (typeof answer !== 'object' || answer === null)
    throw new Error(`fields_get of ${model} answered ${JSON.stringify(answer)}`);
  return answer as Record<string, FieldInfo>;
}

/** The label of a selection key, as Odoo shows it ("Consumable"); undefined when the key is not offered. */
function label(field: FieldInfo | undefined, key: string): string | undefined {
  if (field?.type !== 'selection') return undefined;
  return field.selection?.find(([value]) => value === key)?.[1];
}

export function productKindOf(fields: Readonly<Record<string, FieldInfo>>): ProductKindForm {
  const detailed = fields.detailed_type;
  const detailedConsu = label(detailed, 'consu');
  const detailedService = label(detailed, 'service');
  if (detailedConsu !== undefined && detailedService !== undefined) {
    const name = detailed?.string ?? 'Product Type';
    return {
      form: 'detailed_type',
      supply: { detailed_type: 'consu' },
      service: { detailed_type: 'service' },
      supplyWords: `${name} "${detailedConsu}"`,
      serviceWords: `${name} "${detailedService}"`,
    };
  }
  const type = fields.type;
  const typeConsu = label(type, 'consu');
  const typeService = label(type, 'service');
  if (typeConsu !== undefined && typeService !== undefined) {
    const name = type?.string ?? 'Product Type';
    const storable = fields.is_storable;
    // A supply is a consumable whose stock Odoo does not track, as 17's "Consumable" was.
    const tracked = storable?.type === 'boolean';
    return {
      form: tracked ? 'type + is_storable' : 'type',
      supply: tracked ? { type: 'consu', is_storable: false } : { type: 'consu' },
      service: { type: 'service' },
      supplyWords: `${name} "${typeConsu}"${tracked ? `, ${storable.string ?? 'Track Inventory'} off` : ''}`,
      serviceWords: `${name} "${typeService}"`,
    };
  }
  throw new Error(
    "This Odoo's product.product offers neither detailed_type nor type with 'consu' and 'service' " +
      '(fields_get): the demo cannot tell how to create a consumable or a service product.',
  );
}

export function moveDescriptionOf(fields: Readonly<Record<string, unknown>>): 'name' | 'description_picking' {
  if ('name' in fields) return 'name';
  if ('description_picking' in fields) return 'description_picking';
  throw new Error(
    "This Odoo's stock.move has neither name nor description_picking (fields_get): " +
      "the demo has no field for a supply use's description.",
  );
}

export async function readDemoOdooModels(odoo: DemoOdooAccess): Promise<DemoOdooModels> {
  const [module = '', key = ''] = CONSUMPTION_LOCATION.parent.split('.');
  // The first call alone: the session detects the version and logs in once, not once per call.
  const products = await fieldsOf(odoo, 'product.product');
  const [moves, parent] = await Promise.all([
    fieldsOf(odoo, 'stock.move'),
    findExternalId(odoo, module, key),
  ]);
  return {
    productKind: productKindOf(products),
    moveDescriptionField: moveDescriptionOf(moves),
    locationParent:
      parent === null ? null : { xmlid: CONSUMPTION_LOCATION.parent, name: CONSUMPTION_LOCATION.parentName },
  };
}

/** One line for the demo's output: which form of each differing model it used, and why. */
export function describeDemoOdooModels(models: DemoOdooModels): string {
  const { productKind, moveDescriptionField, locationParent } = models;
  const products =
    productKind.form === 'detailed_type'
      ? 'products by detailed_type'
      : `products by ${productKind.form} (this Odoo has no detailed_type)`;
  const moves =
    moveDescriptionField === 'name'
      ? 'stock move descriptions in name'
      : 'stock move descriptions in description_picking (stock.move has no name here)';
  const location =
    locationParent === null
      ? `the consumption location at the top level (this Odoo has no ${CONSUMPTION_LOCATION.parent})`
      : `the consumption location under ${locationParent.xmlid}`;
  return `Odoo's models as this server describes them (fields_get): ${products}; ${moves}; ${location}.`;
}
