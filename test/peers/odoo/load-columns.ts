import type { Database } from './database.js';
import type { EmulatorState } from './emulator-state.js';
import type { FieldDef, ModelDef } from './model-types.js';
import { keyError } from './odoo-error.js';

/**
 * How `load` reads its import table: which column is the external id, which are plain fields,
 * relational references by external id (`field/id`) and one2many line columns (`lines/sub[/id]`),
 * and how a text cell becomes a field value (the rules of Odoo's ir.fields converters).
 */

export interface Column {
  readonly index: number;
  /** Top-level field; null for the record's own `id` column. */
  readonly field: string | null;
  /** For one2many columns: the line field (null for the line's own `id`). */
  readonly sub?: string | null;
  readonly byXmlid: boolean;
}

export class RowError extends Error {
  constructor(
    message: string,
    readonly extra: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

export function parseColumns(model: ModelDef, fields: readonly unknown[]): Column[] {
  return fields.map((raw, index) => {
    const parts = String(raw).split('/');
    const [field = '', second, third] = parts;
    if (field === 'id' && parts.length === 1) return { index, field: null, byXmlid: true };
    const definition = model.fields[field];
    if (definition === undefined) throw keyError(field);
    if (definition.type === 'one2many') {
      return {
        index,
        field,
        sub: second === 'id' ? null : (second ?? null),
        byXmlid: second === 'id' || third === 'id',
      };
    }
    return { index, field, byXmlid: second === 'id' };
  });
}

export const isEmpty = (value: unknown): boolean =>
  value === '' || value === null || value === undefined || value === false;

function xmlidNotFound(xmlid: string, name: string, field: FieldDef): RowError {
  return new RowError(`No matching record found for external id '${xmlid}' in field '${field.string}'`, {
    field: name,
    field_name: field.string,
    moreinfo: {
      name: 'Possible Values',
      type: 'ir.actions.act_window',
      target: 'new',
      view_mode: 'tree,form',
      views: [
        [false, 'list'],
        [false, 'form'],
      ],
      context: { create: false },
      help: 'See all possible values',
      res_model: 'ir.model.data',
      domain: [['model', '=', field.relation]],
    },
  });
}

function qualify(xmlid: string): string {
  return xmlid.includes('.') ? xmlid : `__import__.${xmlid}`;
}

/** Convert one import cell for `field` (on `model`) into a value `create`/`write` accept. */
export function convertCell(
  state: EmulatorState,
  name: string,
  field: FieldDef,
  value: unknown,
  byXmlid: boolean,
): unknown {
  const text = typeof value === 'string' ? value.trim() : value;
  if (isEmpty(text)) return false;
  const shown = String(text);
  switch (field.type) {
    case 'many2one': {
      if (byXmlid) {
        const target = state.resolveXmlid(qualify(shown));
        if (target === null || target.model !== field.relation) throw xmlidNotFound(shown, name, field);
        return target.resId;
      }
      const db: Database = state.db;
      const relation = field.relation ?? '';
      const [match] = db.idsWhere(relation, (row) => db.displayName(relation, row.id) === shown);
      if (match === undefined)
        throw new RowError(`No matching record found for name '${shown}' in field '${field.string}'`, {
          field: name,
        });
      return match;
    }
    case 'float':
    case 'monetary':
    case 'integer': {
      const number = typeof text === 'number' ? text : Number(shown);
      if (Number.isNaN(number) || (field.type === 'integer' && !Number.isInteger(number))) {
        const kind = field.type === 'integer' ? 'an integer' : 'a number';
        throw new RowError(`'${shown}' does not seem to be ${kind} for field '${field.string}'`, {
          field: name,
        });
      }
      return number;
    }
    case 'boolean':
      return !['0', 'false', 'no', 'off'].includes(shown.toLowerCase());
    case 'selection': {
      const match = (field.selection ?? []).find(
        ([key, label]) => key === shown || label.toLowerCase() === shown.toLowerCase(),
      );
      if (match === undefined)
        throw new RowError(`Value '${shown}' not found in selection field '${field.string}'`, {
          field: name,
        });
      return match[0];
    }
    case 'date':
      if (!/^\d{4}-\d{2}-\d{2}$/.test(shown)) {
        throw new RowError(`'${shown}' does not seem to be a valid date for field '${field.string}'`, {
          field: name,
        });
      }
      return shown;
    default:
      return shown;
  }
}

export { qualify as qualifyImportXmlid };
