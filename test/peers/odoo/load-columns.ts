import type { Database } from './database.js';
import type { EmulatorState } from './emulator-state.js';
import type { FieldDef, ModelDef } from './model-types.js';
import { keyError, valueError, type OdooServerError } from './odoo-error.js';

/**
 * How `load` reads its import table: which column is the external id, which are plain fields,
 * relational references (`field/id` by external id, `field` by name) and one2many line columns
 * (`lines/sub[/id]`), and how a text cell becomes a field value with the rules and the messages of
 * Odoo 17's ir.fields.converter (odoo/addons/base/models/ir_fields.py).
 */

export interface Column {
  readonly index: number;
  /** Top-level field; null for the record's own `id` column. */
  readonly field: string | null;
  /** For one2many columns: the line field (null for the line's own `id`). */
  readonly sub?: string | null;
  readonly byXmlid: boolean;
}

/**
 * A cell the converter refused (an error) or took with a doubt (a warning, keeping the value it
 * settled on), as `load` logs it.
 */
export class ConversionIssue extends Error {
  constructor(
    readonly type: 'error' | 'warning',
    message: string,
    readonly extra: Readonly<Record<string, unknown>> = {},
    readonly kept?: unknown,
  ) {
    super(message);
  }
}

/** 17.0 fails on the field lookup (KeyError); 19.0 checks the column first (ValueError). */
function unknownColumn(db: Database, name: string): OdooServerError {
  return db.series === '17.0' ? keyError(name) : valueError(`Invalid field name '${name}'`);
}

/** Unknown columns fail the whole call, before any row is read (load_unknown_field). */
export function parseColumns(db: Database, model: ModelDef, fields: readonly unknown[]): Column[] {
  return fields.map((raw, index) => {
    const parts = String(raw).split('/');
    const [field = '', second, third] = parts;
    if (field === 'id' && parts.length === 1) return { index, field: null, byXmlid: true };
    const definition = model.fields[field];
    if (definition === undefined) throw unknownColumn(db, field);
    if (definition.type === 'one2many') {
      const sub = second === 'id' ? null : (second ?? null);
      if (sub !== null && db.model(definition.relation ?? '').fields[sub] === undefined)
        throw unknownColumn(db, sub);
      return { index, field, sub, byXmlid: second === 'id' || third === 'id' };
    }
    return { index, field, byXmlid: second === 'id' };
  });
}

export const isEmpty = (value: unknown): boolean =>
  value === '' || value === null || value === undefined || value === false;

/** The external id a cell names; without a module, `load` puts it in `__import__`. */
export function qualifyImportXmlid(xmlid: string): string {
  return xmlid.includes('.') ? xmlid : `__import__.${xmlid}`;
}

function possibleValues(db: Database, field: FieldDef, byXmlid: boolean): Record<string, unknown> {
  return {
    name: 'Possible Values',
    type: 'ir.actions.act_window',
    target: 'new',
    // 17.0 still called the list view 'tree'.
    view_mode: db.series === '17.0' ? 'tree,form' : 'list,form',
    views: [
      [false, 'list'],
      [false, 'form'],
    ],
    context: { create: false },
    help: 'See all possible values',
    ...(byXmlid
      ? { res_model: 'ir.model.data', domain: [['model', '=', field.relation]] }
      : { res_model: field.relation }),
  };
}

const TRUE_WORDS = new Set(['1', 'true', 'yes']);
const FALSE_WORDS = new Set(['', '0', 'false', 'no']);

function validDate(text: string): string | null {
  const match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (match === null) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

function many2one(state: EmulatorState, field: FieldDef, shown: string, byXmlid: boolean): number | false {
  const db = state.db;
  const relation = field.relation ?? '';
  if (byXmlid) {
    // The converter first reads the cell as a boolean: '0', 'false', 'no' mean "no reference".
    if (FALSE_WORDS.has(shown.toLowerCase())) return false;
    const target = state.resolveXmlid(qualifyImportXmlid(shown));
    if (target !== null && target.model === relation) return target.resId;
  } else {
    const matches = db.idsWhere(relation, (row) => db.displayName(relation, row.id) === shown);
    const [first] = matches;
    if (first !== undefined) {
      if (matches.length > 1) {
        throw new ConversionIssue(
          'warning',
          `Found multiple matches for value '${shown}' in field '${field.string}' (${matches.length} matches)`,
          {},
          first,
        );
      }
      return first;
    }
  }
  const kind = byXmlid ? 'external id' : 'name';
  throw new ConversionIssue(
    'error',
    `No matching record found for ${kind} '${shown}' in field '${field.string}'`,
    { moreinfo: possibleValues(db, field, byXmlid) },
  );
}

/**
 * Convert one import cell for `field` into a value `create`/`write` accept, or throw the issue Odoo
 * logs for it. Non-text cells (JSON numbers) are taken as Python's float()/int() take them.
 */
export function convertCell(
  state: EmulatorState,
  field: FieldDef,
  value: unknown,
  byXmlid: boolean,
): unknown {
  // Only an empty cell is empty (a blank one is text); numbers may be padded, as float() allows.
  if (isEmpty(value)) return false;
  const shown = String(value);
  switch (field.type) {
    case 'many2one':
      return many2one(state, field, shown, byXmlid);
    case 'float':
    case 'monetary':
    case 'integer': {
      const trimmed = shown.trim();
      const number = typeof value === 'number' ? value : trimmed === '' ? Number.NaN : Number(trimmed);
      const integer = field.type === 'integer';
      if (Number.isNaN(number) || (integer && typeof value === 'string' && !/^[+-]?\d+$/.test(trimmed))) {
        const kind = integer ? 'an integer' : 'a number';
        throw new ConversionIssue(
          'error',
          `'${shown}' does not seem to be ${kind} for field '${field.string}'`,
        );
      }
      return integer ? Math.trunc(number) : number;
    }
    case 'boolean': {
      const word = shown.toLowerCase();
      if (TRUE_WORDS.has(word)) return true;
      if (FALSE_WORDS.has(word)) return false;
      // Odoo 17 raises it as a ValueError among the warnings: an error, the row is not loaded.
      throw new ConversionIssue('error', `Unknown value '${shown}' for boolean field '${field.string}'`, {
        moreinfo: "Use '1' for yes and '0' for no",
      });
    }
    case 'selection': {
      const wanted = shown.toLowerCase();
      const options = field.selection ?? [];
      const match = options.find(
        ([key, label]) => key.toLowerCase() === wanted || label.toLowerCase() === wanted,
      );
      if (match === undefined) {
        throw new ConversionIssue(
          'error',
          `Value '${shown}' not found in selection field '${field.string}'`,
          {
            moreinfo: options.map(([key, label]) => label || key),
          },
        );
      }
      return match[0];
    }
    case 'date': {
      const date = validDate(shown.slice(0, 10));
      if (date === null) {
        throw new ConversionIssue(
          'error',
          `'${shown}' does not seem to be a valid date for field '${field.string}'`,
          { moreinfo: "Use the format '2012-12-31'" },
        );
      }
      return date;
    }
    case 'datetime': {
      const match = /^(\S{10})(?: (\d{2}):(\d{2}):(\d{2}))?$/.exec(shown);
      const date = match === null ? null : validDate(match[1] ?? '');
      const time = match?.[2] === undefined ? '00:00:00' : `${match[2]}:${match[3]}:${match[4]}`;
      if (date === null || Number(match?.[2] ?? 0) > 23 || Number(match?.[3] ?? 0) > 59) {
        throw new ConversionIssue(
          'error',
          `'${shown}' does not seem to be a valid datetime for field '${field.string}'`,
          { moreinfo: "Use the format '2012-12-31 23:59:59'" },
        );
      }
      return `${date} ${time}`;
    }
    default:
      return value;
  }
}
