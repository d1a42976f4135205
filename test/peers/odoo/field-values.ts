import type { Database } from './database.js';
import type { FieldDef, ModelDef, StoredRecord } from './model-types.js';
import { valueError } from './odoo-error.js';
import { pyRepr } from './py-repr.js';

/** Converting values written over RPC into stored values, and stored values into what `read` returns. */

/** Text of a scalar as Python's str() would show it (objects as JSON: they are wrong types anyway). */
function asText(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : JSON.stringify(value);
}

export function convertForWrite(model: ModelDef, name: string, field: FieldDef, value: unknown): unknown {
  if (value === false || value === null) {
    if (field.type === 'float' || field.type === 'monetary' || field.type === 'integer') return 0;
    return false;
  }
  switch (field.type) {
    case 'float':
    case 'monetary': {
      const number = typeof value === 'number' ? value : Number(asText(value).trim());
      if (typeof value === 'boolean') return value ? 1 : 0;
      if (asText(value).trim() === '' || Number.isNaN(number)) {
        throw valueError(`could not convert string to float: ${pyRepr(value)}`);
      }
      return number;
    }
    case 'integer': {
      const number = typeof value === 'number' ? value : Number(asText(value).trim());
      if (!Number.isInteger(number))
        throw valueError(`invalid literal for int() with base 10: ${pyRepr(value)}`);
      return number;
    }
    case 'boolean':
      return Boolean(value);
    case 'selection': {
      if (!(field.selection ?? []).some(([key]) => key === value)) {
        throw valueError(`Wrong value for ${model.name}.${name}: ${pyRepr(value)}`);
      }
      return value;
    }
    case 'many2one': {
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        throw valueError(`Wrong value for ${model.name}.${name}: ${pyRepr(value)}`);
      }
      return value;
    }
    case 'date':
    case 'datetime':
    case 'char':
    case 'text':
      return typeof value === 'string' ? value : asText(value);
    default:
      return value;
  }
}

export function readValue(db: Database, model: ModelDef, record: StoredRecord, name: string): unknown {
  if (name === 'id') return record.id;
  if (name === 'display_name') return db.displayName(model.name, record.id);
  if (name === 'create_date' || name === 'write_date') return record[name];
  const field = model.fields[name];
  if (field === undefined)
    throw valueError(
      db.series === '17.0'
        ? `Invalid field '${name}' on model '${model.name}'`
        : `Invalid field '${name}' on '${model.name}'`,
    );
  if (field.compute !== undefined) return field.compute(record, db);
  const value = record[name];
  if (field.type === 'many2one') {
    if (typeof value !== 'number' || field.relation === undefined) return false;
    return db.exists(field.relation, value) ? [value, db.displayName(field.relation, value)] : false;
  }
  if (field.type === 'one2many') {
    if (field.relation === undefined || field.inverse === undefined) return [];
    return db.idsWithValue(field.relation, field.inverse, record.id);
  }
  if (value === undefined || value === null) {
    return field.type === 'float' || field.type === 'monetary' || field.type === 'integer' ? 0 : false;
  }
  return value;
}

/** Value for domain comparison: stored id for many2one, computed value for computed fields. */
export function searchValue(db: Database, model: ModelDef, record: StoredRecord, name: string): unknown {
  if (name === 'id' || name === 'create_date' || name === 'write_date') return record[name];
  const field = model.fields[name];
  if (field?.type === 'many2one') return typeof record[name] === 'number' ? record[name] : false;
  return readValue(db, model, record, name);
}
