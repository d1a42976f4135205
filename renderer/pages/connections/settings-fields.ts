import { z } from 'zod';
import {
  csvDropSettingsSchema,
  fhirSettingsSchema,
  odooSettingsSchema,
  webhookInSettingsSchema,
  webhookOutSettingsSchema,
  type ConnectionKind,
} from '../../../shared/domain/connection.js';
import { SETTINGS_LABELS, type FieldText } from './settings-labels.js';

interface FieldBase extends FieldText {
  readonly key: string;
  readonly required: boolean;
}
export type SettingsField =
  | (FieldBase & { readonly type: 'text'; readonly defaultValue: string | undefined })
  | (FieldBase & {
      readonly type: 'number';
      readonly defaultValue: number | undefined;
      readonly min: number | null;
      readonly max: number | null;
      readonly integer: boolean;
    })
  | (FieldBase & { readonly type: 'checkbox'; readonly defaultValue: boolean })
  | (FieldBase & {
      readonly type: 'choice';
      readonly defaultValue: string | undefined;
      readonly choices: readonly { readonly value: string; readonly label: string }[];
    });

const SCHEMAS = {
  odoo: odooSettingsSchema,
  fhir: fhirSettingsSchema,
  'webhook-in': webhookInSettingsSchema,
  'webhook-out': webhookOutSettingsSchema,
  'csv-drop': csvDropSettingsSchema,
} as const satisfies Record<ConnectionKind, z.ZodObject>;

function describe(key: string, schema: z.ZodType, text: FieldText): SettingsField {
  let inner = schema;
  let defaultValue: unknown;
  let optional = false;
  if (inner instanceof z.ZodDefault) {
    defaultValue = inner.def.defaultValue;
    inner = inner.unwrap() as z.ZodType;
  }
  // An optional field left empty is left out: the server falls back (e.g. the default listener).
  if (inner instanceof z.ZodOptional) {
    optional = true;
    inner = inner.unwrap() as z.ZodType;
  }
  const required = defaultValue === undefined && !optional;
  if (inner instanceof z.ZodString) {
    return { key, ...text, required, type: 'text', defaultValue: defaultValue as string | undefined };
  }
  if (inner instanceof z.ZodBoolean) {
    return { key, ...text, required, type: 'checkbox', defaultValue: defaultValue === true };
  }
  if (inner instanceof z.ZodNumber) {
    const { minValue: min, maxValue: max } = inner;
    return {
      key,
      ...text,
      required,
      type: 'number',
      defaultValue: defaultValue as number | undefined,
      min,
      max,
      // zod records .int() as an integer format ('safeint', 'int32', …) on the number schema.
      integer: inner.format !== null && inner.format.includes('int'),
    };
  }
  if (inner instanceof z.ZodEnum) {
    const values = inner.options.map(String);
    const choices = values.map((value) => ({ value, label: text.options?.[value] ?? value }));
    return {
      key,
      ...text,
      required,
      type: 'choice',
      defaultValue: defaultValue as string | undefined,
      choices,
    };
  }
  // A new kind of settings field needs a new input type here; fail loudly in development and tests.
  throw new Error(`No input for settings field "${key}" (${inner.def.type}).`);
}

/**
 * The inputs of a connection kind, generated from its settings schema (order, type, default, range)
 * with labels from SETTINGS_LABELS. A schema change therefore shows up in the form by itself.
 */
export function settingsFields(kind: ConnectionKind): readonly SettingsField[] {
  const labels = SETTINGS_LABELS[kind] as Readonly<Record<string, FieldText>>;
  return Object.entries(SCHEMAS[kind].shape)
    .filter(([key]) => key !== 'kind')
    .map(([key, schema]) => {
      const text = labels[key];
      if (text === undefined) throw new Error(`No label for settings field "${kind}.${key}".`);
      return describe(key, schema as z.ZodType, text);
    });
}
