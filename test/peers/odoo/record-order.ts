import type { Database } from './database.js';
import { searchValue } from './field-values.js';
import type { ModelDef, StoredRecord } from './model-types.js';
import { valueError } from './odoo-error.js';

/** A search's `order` ("name desc, id") as a sort comparator, refusing unknown fields as Odoo does. */
export function orderComparator(
  db: Database,
  model: ModelDef,
  order: string,
): (a: StoredRecord, b: StoredRecord) => number {
  const keys = order.split(',').map((part) => {
    const [field = 'id', direction = 'asc'] = part.trim().split(/\s+/);
    if (field !== 'id' && !(field in model.fields) && field !== 'write_date' && field !== 'create_date') {
      throw valueError(`Invalid "order" specified (${order}).`);
    }
    return { field, descending: direction.toLowerCase() === 'desc' };
  });
  return (a, b) => {
    for (const { field, descending } of keys) {
      const left = searchValue(db, model, a, field) as string | number;
      const right = searchValue(db, model, b, field) as string | number;
      if (left !== right) return (left < right ? -1 : 1) * (descending ? -1 : 1);
    }
    return 0;
  };
}
