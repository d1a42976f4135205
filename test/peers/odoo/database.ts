import { compileDomain } from './domain.js';
import { convertForWrite, readValue, searchValue } from './field-values.js';
import type { ModelDef, StoredRecord } from './model-types.js';
import { missingError, OdooServerError, userError, validationError, valueError } from './odoo-error.js';

/**
 * The emulator's in-memory database: one table per model, ORM create/write/read/search/unlink with
 * Odoo's write_date bookkeeping, required-field and constraint checks, one2many commands, and
 * snapshots so a `load` can be all-or-nothing.
 */

interface Table {
  nextId: number;
  readonly rows: Map<number, StoredRecord>;
}

export type Clock = () => Date;

export function odooDatetime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

const REQUIRED_MESSAGE =
  'The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n- Delete: another model requires the record being deleted. If possible, archive it instead.\n\n';

export class Database {
  private tables = new Map<string, Table>();
  private readonly models = new Map<string, ModelDef>();

  constructor(
    definitions: readonly ModelDef[],
    private readonly clock: Clock = () => new Date(),
  ) {
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

  now(): string {
    return odooDatetime(this.clock());
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
    table.nextId = Math.max(table.nextId, id + 1);
    const now = this.now();
    const record: StoredRecord = { id, create_date: now, write_date: now, create_uid: uid, write_uid: uid };
    for (const [name, field] of Object.entries(model.fields)) {
      if (field.default !== undefined && field.compute === undefined) record[name] = field.default;
    }
    table.rows.set(id, record);
    try {
      this.apply(model, record, values, uid);
      this.checkRequired(model, record);
      model.check?.(record, this);
    } catch (error) {
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
    for (const record of records) {
      model.beforeWrite?.(record, values, this);
      this.apply(model, record, values, uid);
      record.write_date = this.now();
      record.write_uid = uid;
      this.checkRequired(model, record);
      model.check?.(record, this);
    }
  }

  unlink(modelName: string, ids: readonly number[]): void {
    const model = this.model(modelName);
    this.browse(modelName, ids);
    model.beforeUnlink?.(ids, this);
    for (const id of ids) this.table(modelName).rows.delete(id);
  }

  /** The records, or MissingError naming the ones that are gone (as Odoo does on write/read). */
  browse(modelName: string, ids: readonly number[], uid = 1): StoredRecord[] {
    const table = this.table(modelName);
    const missing = ids.filter((id) => !table.rows.has(id));
    if (missing.length > 0) {
      throw missingError(
        `Record does not exist or has been deleted.\n(Record: ${modelName}(${missing.join(', ')},), User: ${uid})`,
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
    return this.browse(modelName, ids, uid).map((record) => {
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
    const matches = compileDomain(model, domain, (record, field) => searchValue(this, model, record, field));
    const records = [...this.table(modelName).rows.values()].filter(matches);
    records.sort(this.comparator(model, options.order ?? model.order ?? 'id'));
    const offset = options.offset ?? 0;
    const limited =
      options.limit === null || options.limit === undefined
        ? records.slice(offset)
        : records.slice(offset, offset + options.limit);
    return limited.map((record) => record.id);
  }

  snapshot(): Map<string, Table> {
    return new Map(
      [...this.tables].map(([name, table]) => [
        name,
        {
          nextId: table.nextId,
          rows: new Map([...table.rows].map(([id, row]) => [id, structuredClone(row)])),
        },
      ]),
    );
  }

  restore(snapshot: Map<string, Table>): void {
    this.tables = snapshot;
  }

  private comparator(model: ModelDef, order: string): (a: StoredRecord, b: StoredRecord) => number {
    const keys = order.split(',').map((part) => {
      const [field = 'id', direction = 'asc'] = part.trim().split(/\s+/);
      if (field !== 'id' && !(field in model.fields) && field !== 'write_date' && field !== 'create_date') {
        throw valueError(`Invalid "order" specified (${order}).`);
      }
      return { field, descending: direction.toLowerCase() === 'desc' };
    });
    return (a, b) => {
      for (const { field, descending } of keys) {
        const left = searchValue(this, model, a, field) as string | number;
        const right = searchValue(this, model, b, field) as string | number;
        if (left !== right) return (left < right ? -1 : 1) * (descending ? -1 : 1);
      }
      return 0;
    };
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
      if (field === undefined) throw valueError(`Invalid field '${name}' on model '${model.name}'`);
      if (field.compute !== undefined) continue;
      if (field.type === 'one2many')
        this.applyLines(field.relation ?? '', field.inverse ?? '', record.id, value, uid);
      else record[name] = convertForWrite(model, name, field, value);
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
        const current = this.idsWhere(lineModel, (line) => line[inverse] === parentId);
        const keep = code === 6 && Array.isArray(vals) ? new Set(vals) : new Set<number>();
        this.unlink(
          lineModel,
          current.filter((lineId) => !keep.has(lineId)),
        );
      } else throw valueError(`Unsupported one2many command ${String(code)}`);
    }
  }

  private checkRequired(model: ModelDef, record: StoredRecord): void {
    for (const [name, field] of Object.entries(model.fields)) {
      if (field.required !== true) continue;
      const value = record[name];
      if (value === undefined || value === false || value === null || value === '') {
        const shown = model.requiredErrorModel ?? { name: model.name, description: model.description };
        throw new OdooServerError(
          'odoo.exceptions.ValidationError',
          `${REQUIRED_MESSAGE}Model: ${shown.description} (${shown.name})\nField: ${field.string} (${name})\n`,
          undefined,
          `Missing required value for the field '${field.string}' (${name})`,
        );
      }
    }
  }
}
