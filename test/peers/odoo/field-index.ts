import type { ModelDef, StoredRecord } from './model-types.js';

/**
 * Hash indexes (model → field → stored value → ids) for the lookups the emulator makes on every
 * request: external ids by name, one2many lines by their parent. Without them each lookup scans a
 * whole table, so a sync of N records costs O(N²) and a 100k-record run takes hours.
 *
 * Which fields: every one2many inverse (derived from the models) plus each model's `indexed` list.
 * The Database keeps them current on every create, write, unlink and rollback; nothing else may
 * assign stored fields.
 */

type ValueIndex = Map<unknown, Set<number>>;

export class FieldIndexes {
  private readonly byModel = new Map<string, Map<string, ValueIndex>>();

  constructor(definitions: readonly ModelDef[]) {
    for (const model of definitions) {
      for (const field of model.indexed ?? []) this.declare(model.name, field);
      for (const field of Object.values(model.fields)) {
        if (field.type === 'one2many' && field.relation !== undefined && field.inverse !== undefined)
          this.declare(field.relation, field.inverse);
      }
    }
  }

  has(model: string, field: string): boolean {
    return this.byModel.get(model)?.has(field) ?? false;
  }

  /** Ids whose stored `field` is exactly `value`, ascending (the table's natural order); undefined if not indexed. */
  ids(model: string, field: string, value: unknown): number[] | undefined {
    const index = this.byModel.get(model)?.get(field);
    if (index === undefined) return undefined;
    const ids = index.get(value);
    if (ids === undefined) return [];
    // Most values name one row (an external id, a single line): no sort for those.
    return ids.size === 1 ? [...ids] : [...ids].sort((a, b) => a - b);
  }

  add(model: string, record: StoredRecord): void {
    const fields = this.byModel.get(model);
    if (fields === undefined) return;
    for (const [field, index] of fields) insert(index, record[field], record.id);
  }

  remove(model: string, record: StoredRecord): void {
    const fields = this.byModel.get(model);
    if (fields === undefined) return;
    for (const [field, index] of fields) discard(index, record[field], record.id);
  }

  /** Call before `record[field] = next`. */
  change(model: string, record: StoredRecord, field: string, next: unknown): void {
    const index = this.byModel.get(model)?.get(field);
    if (index === undefined || record[field] === next) return;
    discard(index, record[field], record.id);
    insert(index, next, record.id);
  }

  private declare(model: string, field: string): void {
    const fields = this.byModel.get(model) ?? new Map<string, ValueIndex>();
    if (!fields.has(field)) fields.set(field, new Map());
    this.byModel.set(model, fields);
  }
}

function insert(index: ValueIndex, value: unknown, id: number): void {
  if (value === undefined) return;
  const ids = index.get(value);
  if (ids === undefined) index.set(value, new Set([id]));
  else ids.add(id);
}

function discard(index: ValueIndex, value: unknown, id: number): void {
  const ids = index.get(value);
  if (ids === undefined) return;
  ids.delete(id);
  if (ids.size === 0) index.delete(value);
}
