/**
 * The contract's requests in Odoo 19's vocabulary: the steps are written for 17.0's models, and
 * where 19.0 renamed or dropped a field the same request is said the 19 way, to both servers alike
 * (so the emulator's 19 models are tested, not 17's field names against 19):
 * - product.product `detailed_type` → `type` + `is_storable` (storable 'product' is consu + tracked);
 * - stock.move has no `name`: the column, its cells and the field are left out;
 * - res.partner `type` by label: 17's "Invoice Address" is 19's "Invoice";
 * - 19.0 has no `stock.stock_location_locations_virtual`: a location under it has no parent.
 */

export interface OrmCall {
  readonly args: readonly unknown[];
  readonly kwargs: Readonly<Record<string, unknown>>;
}

const PRODUCT_KIND: Readonly<Record<string, readonly [string, string]>> = {
  product: ['consu', 'True'],
  consu: ['consu', 'False'],
  service: ['service', 'False'],
};

const PARTNER_TYPE_LABELS: Readonly<Record<string, string>> = {
  'Invoice Address': 'Invoice',
  'Delivery Address': 'Delivery',
  'Other Address': 'Other',
};

/** A load's columns and rows with each cell rewritten by `cell` (which may widen a row). */
function mapLoad(
  fields: readonly string[],
  rows: readonly (readonly unknown[])[],
  column: (name: string) => readonly string[],
  cell: (name: string, value: unknown) => readonly unknown[],
): [string[], unknown[][]] {
  return [fields.flatMap(column), rows.map((row) => fields.flatMap((name, index) => cell(name, row[index])))];
}

function loadFor19(
  model: string,
  fields: readonly string[],
  rows: readonly (readonly unknown[])[],
): [string[], unknown[][]] {
  if (model === 'product.product')
    return mapLoad(
      fields,
      rows,
      (name) => (name === 'detailed_type' ? ['type', 'is_storable'] : [name]),
      (name, value) =>
        name === 'detailed_type' ? (PRODUCT_KIND[String(value)] ?? [value, 'False']) : [value],
    );
  if (model === 'stock.move')
    return mapLoad(
      fields,
      rows,
      (name) => (name === 'name' ? [] : [name]),
      (name, value) => (name === 'name' ? [] : [value]),
    );
  if (model === 'stock.location')
    return mapLoad(
      fields,
      rows,
      (name) => [name],
      (name, value) => [
        name === 'location_id/id' && value === 'stock.stock_location_locations_virtual' ? '' : value,
      ],
    );
  if (model === 'res.partner')
    return mapLoad(
      fields,
      rows,
      (name) => [name],
      (name, value) => [name === 'type' ? (PARTNER_TYPE_LABELS[String(value)] ?? value) : value],
    );
  return [[...fields], rows.map((row) => [...row])];
}

function withoutName(values: unknown): unknown {
  if (typeof values !== 'object' || values === null || Array.isArray(values)) return values;
  const { name: _name, ...rest } = values as Record<string, unknown>;
  return rest;
}

export function for19(
  model: string,
  method: string,
  args: readonly unknown[],
  kwargs: Readonly<Record<string, unknown>>,
): OrmCall {
  if (method === 'load' && Array.isArray(args[0]) && Array.isArray(args[1]))
    return { args: loadFor19(model, args[0] as string[], args[1] as unknown[][]), kwargs };
  if (model !== 'stock.move') return { args, kwargs };
  if (method === 'create') return { args: [withoutName(args[0]), ...args.slice(1)], kwargs };
  if (method === 'read' && Array.isArray(kwargs.fields))
    return { args, kwargs: { ...kwargs, fields: kwargs.fields.filter((name) => name !== 'name') } };
  return { args, kwargs };
}
