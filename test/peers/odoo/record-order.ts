import type { Database } from './database.js';
import { searchValue } from './field-values.js';
import type { ModelDef, StoredRecord } from './model-types.js';
import { valueError } from './odoo-error.js';

/**
 * A search's `order` ("name desc, id") as a sort comparator, refusing unknown fields as Odoo does.
 * Unset values sort as PostgreSQL's NULLs: last ascending, first descending.
 */
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
  const isNull = (value: unknown): boolean => value === false || value === null || value === undefined;
  return (a, b) => {
    for (const { field, descending } of keys) {
      const left = searchValue(db, model, a, field);
      const right = searchValue(db, model, b, field);
      if (left === right) continue;
      const sign = descending ? -1 : 1;
      if (isNull(left) || isNull(right)) {
        if (isNull(left) && isNull(right)) continue;
        return (isNull(left) ? 1 : -1) * sign;
      }
      return ((left as string | number) < (right as string | number) ? -1 : 1) * sign;
    }
    return 0;
  };
}
