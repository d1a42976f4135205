import { compileDomain } from './domain.js';
import { FieldIndexes } from './field-index.js';
import { convertForWrite, readValue, searchValue } from './field-values.js';
import { indexedCandidates } from './indexed-search.js';
import { orderComparator } from './record-order.js';
import { applyDefaults, applyFills, checkRequired } from './required-and-defaults.js';
import { UndoJournal, type Savepoint } from './undo-journal.js';
import type { ModelDef, StoredRecord } from './model-types.js';
import { missingError, userError, validationError, valueError } from './odoo-error.js';

/**
 * The emulator's in-memory database: one table per model, ORM create/write/read/search/unlink with
 * Odoo's write_date bookkeeping, required-field and constraint checks, one2many commands, hash
 * indexes for by-value lookups, and transactions (an undo journal) so a call or a `load` can be
 * all-or-nothing at the cost of what it changed, not of the whole database.
 */

interface Table {
  nextId: number;
  rows: Map<number, StoredRecord>;
}

export type { Savepoint } from './undo-journal.js';

export type Clock = () => Date;

export function odooDatetime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/** Odoo hides archived records from searches unless the domain speaks of `active` itself. */
function withActiveTest(model: ModelDef, domain: unknown): unknown {
  if (model.fields.active === undefined || !Array.isArray(domain)) return domain;
  const mentionsActive = (domain as unknown[]).some((term) => Array.isArray(term) && term[0] === 'active');
  return mentionsActive ? domain : [...(domain as unknown[]), ['active', '=', true]];
}

export class Database {
  private readonly tables = new Map<string, Table>();
  private readonly models = new Map<string, ModelDef>();
  private readonly indexes: FieldIndexes;
  private readonly journal = new UndoJournal();
  /** The last `now()` text and its second: toISOString per created row was a top cost at 100k rows. */
  private lastNow = { second: Number.NaN, text: '' };
  /** The open transaction's timestamp: Odoo stamps create_date/write_date with the transaction's now. */
  private transactionNow: string | null = null;

  constructor(
    definitions: readonly ModelDef[],
    private readonly clock: Clock = () => new Date(),
    /** Which Odoo the messages are worded after (19 rewords some ValueErrors). */
    readonly series: '17.0' | '19.0' = '17.0',
  ) {
    this.indexes = new FieldIndexes(definitions);
    for (const model of definitions) {
      this.models.set(model.name, model);
      this.tables.set(model.name, { nextId: 1, rows: new Map() });
    }
  }

  model(name: string): ModelDef {
    const model = this.models.get(name);
    if (model === undefined) throw userError(`Object ${name} doesn't exist`);
    return model;
  }

  hasModel(name: string): boolean {
    return this.models.has(name);
  }

  /** Odoo's `cr.now()`: the transaction's start inside one, the clock outside. */
  now(): string {
    return this.transactionNow ?? this.clockNow();
  }

  private clockNow(): string {
    const ms = this.clock().getTime();
    const second = Math.floor(ms / 1000);
    if (second !== this.lastNow.second) this.lastNow = { second, text: odooDatetime(new Date(ms)) };
    return this.lastNow.text;
  }

  /** Make the next created id of `model` at least `id` (seeds line up with recorded ids). */
  reserveIds(model: string, nextId: number): void {
    const table = this.table(model);
    table.nextId = Math.max(table.nextId, nextId);
  }

  exists(model: string, id: number): boolean {
    return this.tables.get(model)?.rows.has(id) ?? false;
  }

  record(model: string, id: number): StoredRecord | undefined {
    return this.tables.get(model)?.rows.get(id);
  }

  idsWhere(model: string, predicate: (record: StoredRecord) => boolean): number[] {
    return [...this.table(model).rows.values()].filter(predicate).map((record) => record.id);
  }

  /** Whether any row matches, stopping at the first (cheap when one is found early). */
  anyWhere(model: string, predicate: (record: StoredRecord) => boolean): boolean {
    for (const record of this.table(model).rows.values()) if (predicate(record)) return true;
    return false;
  }

  /** Ids whose stored `field` is exactly `value` (an index lookup when the field is indexed). */
  idsWithValue(model: string, field: string, value: unknown): number[] {
    return this.indexes.ids(model, field, value) ?? this.idsWhere(model, (record) => record[field] === value);
  }

  count(model: string): number {
    return this.table(model).rows.size;
  }

  displayName(model: string, id: number): string {
    const definition = this.model(model);
    const record = this.record(model, id);
    if (record === undefined) return '';
    if (definition.displayName !== undefined) return definition.displayName(record, this);
    return typeof record.name === 'string' ? record.name : `${model},${id}`;
  }

  create(
    modelName: string,
    values: Readonly<Record<string, unknown>>,
    uid: number,
    forcedId?: number,
  ): number {
    const model = this.model(modelName);
    const table = this.table(modelName);
    const id = forcedId ?? table.nextId;
    this.remember(modelName, table, id);
    table.nextId = Math.max(table.nextId, id + 1);
    const now = this.now();
    const record: StoredRecord = { id, create_date: now, write_date: now, create_uid: uid, write_uid: uid };
    applyDefaults(model, record);
    table.rows.set(id, record);
    this.indexes.add(modelName, record);
    try {
      this.apply(model, record, values, uid);
      applyFills(model, record, this);
      checkRequired(model, record, this.series);
      model.check?.(record, this);
    } catch (error) {
      this.indexes.remove(modelName, record);
      table.rows.delete(id);
      throw error;
    }
    return id;
  }

  write(
    modelName: string,
    ids: readonly number[],
    values: Readonly<Record<string, unknown>>,
    uid: number,
  ): void {
    const model = this.model(modelName);
    const records = this.browse(modelName, ids, uid);
    const table = this.table(modelName);
    for (const record of records) {
      model.beforeWrite?.(record, values, this);
      this.remember(modelName, table, record.id);
      this.apply(model, record, values, uid);
      record.write_date = this.now();
      record.write_uid = uid;
      checkRequired(model, record, this.series);
      model.check?.(record, this);
    }
  }

  unlink(modelName: string, ids: readonly number[]): void {
    const model = this.model(modelName);
    this.browse(modelName, ids);
    model.beforeUnlink?.(ids, this);
    const table = this.table(modelName);
    for (const id of ids) {
      const record = table.rows.get(id);
      if (record === undefined) continue;
      this.remember(modelName, table, id);
      this.indexes.remove(modelName, record);
      table.rows.delete(id);
    }
  }

  /** The records, or MissingError naming the first one that is gone (as Odoo's write/unlink do). */
  browse(modelName: string, ids: readonly number[], uid = 1): StoredRecord[] {
    const table = this.table(modelName);
    const missing = ids.find((id) => !table.rows.has(id));
    if (missing !== undefined) {
      throw missingError(
        `Record does not exist or has been deleted.\n(Record: ${modelName}(${missing},), User: ${uid})`,
      );
    }
    return ids.map((id) => table.rows.get(id) as StoredRecord);
  }

  read(
    modelName: string,
    ids: readonly number[],
    fields: readonly string[],
    uid = 1,
  ): Record<string, unknown>[] {
    const model = this.model(modelName);
    // No field list means every field, with the magic ones Odoo adds to every model.
    const names =
      fields.length === 0
        ? [...Object.keys(model.fields), 'display_name', 'create_date', 'write_date']
        : fields.filter((name) => name !== 'id');
    // Odoo's read skips deleted records silently (a search then read may race a delete).
    const table = this.table(modelName);
    const present = ids.filter((id) => table.rows.has(id));
    return this.browse(modelName, present, uid).map((record) => {
      const row: Record<string, unknown> = { id: record.id };
      for (const name of names) row[name] = readValue(this, model, record, name);
      return row;
    });
  }

  search(
    modelName: string,
    domain: unknown,
    options: { offset?: number; limit?: number | null; order?: string | null } = {},
  ): number[] {
    const model = this.model(modelName);
    const matches = compileDomain(model, withActiveTest(model, domain), this.series, (record, field) =>
      searchValue(this, model, record, field),
    );
    const table = this.table(modelName);
    const candidates = indexedCandidates(modelName, domain, this.indexes);
    const records = (
      candidates === null
        ? [...table.rows.values()]
        : candidates.map((id) => table.rows.get(id) as StoredRecord)
    ).filter(matches);
    records.sort(orderComparator(this, model, options.order ?? model.order ?? 'id'));
    const offset = options.offset ?? 0;
    const limited =
      options.limit === null || options.limit === undefined
        ? records.slice(offset)
        : records.slice(offset, offset + options.limit);
    return limited.map((record) => record.id);
  }

  /** Start a transaction (they nest); every row changed from here on can be put back. */
  begin(): Savepoint {
    this.transactionNow ??= this.clockNow();
    return this.journal.begin();
  }

  commit(): void {
    this.end();
  }

  private end(): void {
    this.journal.end();
    if (!this.journal.open) this.transactionNow = null;
  }

  /** Undo every change since `savepoint`, newest first, and end that transaction. */
  rollback(savepoint: Savepoint): void {
    const reordered = new Set<Table>();
    for (const entry of this.journal.takeBack(savepoint)) {
      const table = this.table(entry.model);
      table.nextId = entry.nextId;
      const current = table.rows.get(entry.id);
      if (current !== undefined) this.indexes.remove(entry.model, current);
      if (entry.before === undefined) {
        table.rows.delete(entry.id);
        continue;
      }
      if (current === undefined) reordered.add(table);
      table.rows.set(entry.id, entry.before);
      this.indexes.add(entry.model, entry.before);
    }
    // A row brought back from the dead went to the end of the Map: put the table back in id order.
    for (const table of reordered) table.rows = new Map([...table.rows].sort(([a], [b]) => a - b));
    this.end();
  }

  private remember(model: string, table: Table, id: number): void {
    this.journal.remember(model, id, table.rows.get(id), table.nextId);
  }

  private table(model: string): Table {
    const table = this.tables.get(model);
    if (table === undefined) throw userError(`Object ${model} doesn't exist`);
    return table;
  }

  private apply(
    model: ModelDef,
    record: StoredRecord,
    values: Readonly<Record<string, unknown>>,
    uid: number,
  ): void {
    for (const [name, value] of Object.entries(values)) {
      const field = model.fields[name];
      if (field === undefined)
        throw valueError(
          this.series === '17.0'
            ? `Invalid field '${name}' on model '${model.name}'`
            : `Invalid field '${name}' in '${model.name}'`,
        );
      if (field.compute !== undefined) continue;
      if (field.type === 'one2many')
        this.applyLines(field.relation ?? '', field.inverse ?? '', record.id, value, uid);
      else {
        const stored = convertForWrite(model, name, field, value);
        this.indexes.change(model.name, record, name, stored);
        record[name] = stored;
      }
      const target = record[name];
      if (
        field.type === 'many2one' &&
        typeof target === 'number' &&
        !this.exists(field.relation ?? '', target)
      ) {
        // PostgreSQL's foreign key, as Odoo words its violation.
        throw validationError(
          `The operation cannot be completed: another model requires the record being deleted. If possible, archive it instead.\n\nModel: ${model.description} (${model.name})\nConstraint: ${model.name.replace(/\./g, '_')}_${name}_fkey\n`,
        );
      }
    }
  }

  /** one2many commands: [0,0,vals] create, [1,id,vals] update, [2,id] delete, [5] clear, [6,0,ids] set. */
  private applyLines(
    lineModel: string,
    inverse: string,
    parentId: number,
    commands: unknown,
    uid: number,
  ): void {
    if (!Array.isArray(commands)) throw valueError(`Wrong value for one2many: ${String(commands)}`);
    for (const command of commands as unknown[]) {
      if (!Array.isArray(command)) throw valueError('one2many values must be commands');
      const [code, id, vals] = command as [number, number, Record<string, unknown> | number[] | undefined];
      if (code === 0)
        this.create(lineModel, { ...(vals as Record<string, unknown>), [inverse]: parentId }, uid);
      else if (code === 1) this.write(lineModel, [id], vals as Record<string, unknown>, uid);
      else if (code === 2) this.unlink(lineModel, [id]);
      else if (code === 5 || code === 6) {
        const current = this.idsWithValue(lineModel, inverse, parentId);
        const keep = code === 6 && Array.isArray(vals) ? new Set(vals) : new Set<number>();
        this.unlink(
          lineModel,
          current.filter((lineId) => !keep.has(lineId)),
        );
      } else throw valueError(`Unsupported one2many command ${String(code)}`);
    }
  }
}
