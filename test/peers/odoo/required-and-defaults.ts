import type { Database } from './database.js';
import type { FieldDef, ModelDef, StoredRecord } from './model-types.js';
import { OdooServerError } from './odoo-error.js';

/**
 * Defaults applied on create and Odoo's "mandatory field is not set" check. Which fields have a
 * default or are required is worked out once per model (walking every field of the model for every
 * created row was a visible cost at 100k rows).
 */

interface Layout {
  readonly defaults: readonly (readonly [string, unknown])[];
  readonly fills: readonly (readonly [string, NonNullable<FieldDef['fill']>])[];
  readonly required: readonly (readonly [string, FieldDef])[];
}

const layouts = new WeakMap<ModelDef, Layout>();

function layoutOf(model: ModelDef): Layout {
  let layout = layouts.get(model);
  if (layout === undefined) {
    const fields = Object.entries(model.fields);
    layout = {
      defaults: fields
        .filter(([, field]) => field.default !== undefined && field.compute === undefined)
        .map(([name, field]) => [name, field.default] as const),
      fills: fields.flatMap(([name, field]) =>
        field.fill === undefined ? [] : [[name, field.fill] as const],
      ),
      required: fields.filter(([, field]) => field.required === true && field.compute === undefined),
    };
    layouts.set(model, layout);
  }
  return layout;
}

export function applyDefaults(model: ModelDef, record: StoredRecord): void {
  for (const [name, value] of layoutOf(model).defaults) record[name] = value;
}

const isUnset = (value: unknown): boolean =>
  value === undefined || value === false || value === null || value === '';

/** Values Odoo computes on create when the caller gave none (after the given values are applied). */
export function applyFills(model: ModelDef, record: StoredRecord, db: Database): void {
  for (const [name, fill] of layoutOf(model).fills)
    if (isUnset(record[name])) record[name] = fill(record, db);
}

const REQUIRED_MESSAGE =
  'The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n- Delete: another model requires the record being deleted. If possible, archive it instead.\n\n';

/** 19.0 words the NOT NULL violation once, for `load` and (prefixed) for create/write alike. */
function requiredMessage19(description: string, model: string, label: string, name: string): string {
  return `Missing required value for the field '${label}' (${name}).\nModel: '${description}' (${model})\n- create/update: a mandatory field is not set\n- delete: another model requires the record being deleted, you can archive it instead\n`;
}

export function checkRequired(model: ModelDef, record: StoredRecord, series: '17.0' | '19.0'): void {
  for (const [name, field] of layoutOf(model).required) {
    if (isUnset(record[name])) {
      const shown = model.requiredErrorModel ?? { name: model.name, description: model.description };
      // In `load` it is PostgreSQL's NOT NULL violation, which Odoo words from the column; for a
      // column of another table (a product's template) it cannot name the field's label.
      const ownTable = model.requiredErrorModel === undefined;
      if (series === '19.0') {
        // A column of another table (a product's template) has no label in `load`, as in 17.0.
        const message = (label: string) => requiredMessage19(shown.description, shown.name, label, name);
        throw new OdooServerError(
          'odoo.exceptions.ValidationError',
          `The operation cannot be completed: ${message(field.string)}`,
          undefined,
          message(ownTable ? field.string : name),
          ownTable ? { field: name } : {},
        );
      }
      throw new OdooServerError(
        'odoo.exceptions.ValidationError',
        `${REQUIRED_MESSAGE}Model: ${shown.description} (${shown.name})\nField: ${field.string} (${name})\n`,
        undefined,
        ownTable
          ? `Missing required value for the field '${field.string}' (${name})`
          : `Missing required value for the field '${name}'`,
        ownTable ? { field: name } : {},
      );
    }
  }
}
