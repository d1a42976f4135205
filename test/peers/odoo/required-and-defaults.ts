import type { FieldDef, ModelDef, StoredRecord } from './model-types.js';
import { OdooServerError } from './odoo-error.js';

/**
 * Defaults applied on create and Odoo's "mandatory field is not set" check. Which fields have a
 * default or are required is worked out once per model (walking every field of the model for every
 * created row was a visible cost at 100k rows).
 */

interface Layout {
  readonly defaults: readonly (readonly [string, unknown])[];
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
      required: fields.filter(([, field]) => field.required === true),
    };
    layouts.set(model, layout);
  }
  return layout;
}

export function applyDefaults(model: ModelDef, record: StoredRecord): void {
  for (const [name, value] of layoutOf(model).defaults) record[name] = value;
}

const REQUIRED_MESSAGE =
  'The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n- Delete: another model requires the record being deleted. If possible, archive it instead.\n\n';

export function checkRequired(model: ModelDef, record: StoredRecord): void {
  for (const [name, field] of layoutOf(model).required) {
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
