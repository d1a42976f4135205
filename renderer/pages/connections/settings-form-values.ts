import {
  connectionNameSchema,
  connectionSettingsSchema,
  type ConnectionKind,
  type ConnectionSettings,
} from '../../../shared/domain/connection.js';
import { errorsFromZod, mergeErrors, type FormErrors } from '../../client/field-errors.js';
import { settingsFields, type SettingsField } from './settings-fields.js';

/** What the inputs hold while the operator types: text for text and numbers, booleans for boxes. */
export type SettingsValues = Readonly<Record<string, string | boolean>>;

function shownValue(field: SettingsField, current: unknown): string | boolean {
  if (field.type === 'checkbox') return typeof current === 'boolean' ? current : field.defaultValue;
  if (typeof current === 'string' || typeof current === 'number') return String(current);
  return field.defaultValue === undefined ? '' : String(field.defaultValue);
}

/** Starting values: the connection's own settings when editing, the schema defaults when creating. */
export function initialValues(kind: ConnectionKind, existing?: ConnectionSettings): SettingsValues {
  const current: Readonly<Record<string, unknown>> = existing?.kind === kind ? existing : {};
  return Object.fromEntries(
    settingsFields(kind).map((field) => [field.key, shownValue(field, current[field.key])]),
  );
}

function rangeText(field: Extract<SettingsField, { type: 'number' }>): string {
  const what = field.integer ? 'a whole number' : 'a number';
  if (field.min !== null && field.max !== null) return `Enter ${what} from ${field.min} to ${field.max}`;
  if (field.min !== null) return `Enter ${what} of at least ${field.min}`;
  return `Enter ${what}`;
}

/** Numbers are checked here so the message names the range instead of zod's type wording. */
function readNumber(
  field: Extract<SettingsField, { type: 'number' }>,
  raw: string,
): number | string | undefined {
  const text = raw.trim();
  if (text === '') return field.defaultValue;
  const value = Number(text);
  const valid =
    Number.isFinite(value) &&
    (!field.integer || Number.isInteger(value)) &&
    (field.min === null || value >= field.min) &&
    (field.max === null || value <= field.max);
  return valid ? value : rangeText(field);
}

export type ConnectionDraft =
  | { readonly ok: true; readonly name: string; readonly settings: ConnectionSettings }
  | { readonly ok: false; readonly errors: FormErrors };

/**
 * Turns the form into the contract's `{ name, settings }`, checked with the contract's own schemas so
 * the operator sees every mistake at once, each under its field (keys 'name' and 'settings.<field>',
 * the same paths the server names in an 'invalid-input' message).
 */
export function readConnectionForm(
  kind: ConnectionKind,
  name: string,
  values: SettingsValues,
): ConnectionDraft {
  const numberErrors: Record<string, string> = {};
  const settings: Record<string, unknown> = { kind };
  for (const field of settingsFields(kind)) {
    const raw = values[field.key];
    if (field.type === 'checkbox') settings[field.key] = raw === true;
    else if (field.type === 'number') {
      const value = readNumber(field, typeof raw === 'string' ? raw : '');
      if (typeof value === 'string') numberErrors[`settings.${field.key}`] = value;
      else settings[field.key] = value;
    } else {
      const text = typeof raw === 'string' ? raw : '';
      // An optional text left empty stays absent, so the server's fallback applies.
      if (field.required || field.defaultValue !== undefined || text.trim() !== '')
        settings[field.key] = text;
    }
  }
  const parsedName = connectionNameSchema.safeParse(name);
  const parsedSettings = connectionSettingsSchema.safeParse(settings);
  let errors: FormErrors = { fields: numberErrors, form: null };
  if (!parsedName.success) errors = mergeErrors(errors, errorsFromZod(parsedName.error, ['name']));
  if (!parsedSettings.success)
    errors = mergeErrors(errors, errorsFromZod(parsedSettings.error, ['settings']));
  if (parsedName.success && parsedSettings.success && Object.keys(numberErrors).length === 0) {
    return { ok: true, name: parsedName.data, settings: parsedSettings.data };
  }
  return { ok: false, errors };
}
