import type { FallbackField } from '../../../shared/domain/fallback.js';

/** What `fallback.enter` takes as values, or the problem of each field that cannot be sent. */
export interface FallbackValuesCheck {
  readonly values: Readonly<Record<string, string | number>>;
  readonly errors: Readonly<Record<string, string>>;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** What a datetime-local input gives: local time without a zone. */
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/;
const MAX_TEXT = 2000;

/** The input type that fits a field, so the browser offers a date picker or a numeric keypad. */
export function inputTypeOf(field: FallbackField): 'text' | 'date' | 'datetime-local' {
  if (field.type === 'date') return 'date';
  if (field.type === 'date-time') return 'datetime-local';
  return 'text';
}

function checkOne(field: FallbackField, raw: string): { value?: string | number; error?: string } {
  const text = raw.trim();
  if (text === '') return field.required ? { error: `${field.label} is required` } : {};
  switch (field.type) {
    case 'number': {
      const value = Number(text.replace(',', '.'));
      return Number.isFinite(value) ? { value } : { error: 'Enter a number, like 2 or 0.5' };
    }
    case 'date':
      return DATE.test(text) && !Number.isNaN(Date.parse(text))
        ? { value: text }
        : { error: 'Enter a date like 2026-01-31' };
    case 'date-time': {
      // A local time becomes an instant (UTC): the source system's events carry instants too.
      const at = LOCAL_DATE_TIME.test(text) ? new Date(text) : new Date(Number.NaN);
      return Number.isNaN(at.getTime())
        ? { error: 'Enter a date and time like 2026-01-31 14:30' }
        : { value: at.toISOString() };
    }
    case 'text':
      return text.length > MAX_TEXT ? { error: `At most ${MAX_TEXT} characters` } : { value: text };
  }
}

/**
 * The form's strings checked and turned into values (numbers as numbers, local times as instants),
 * before asking the server, which maps and validates the entry like a source record.
 */
export function fallbackValues(
  fields: readonly FallbackField[],
  raw: Readonly<Record<string, string>>,
): FallbackValuesCheck {
  const values: Record<string, string | number> = {};
  const errors: Record<string, string> = {};
  for (const field of fields) {
    const checked = checkOne(field, raw[field.name] ?? '');
    if (checked.error !== undefined) errors[field.name] = checked.error;
    else if (checked.value !== undefined) values[field.name] = checked.value;
  }
  return { values, errors };
}

/** "Encounter: E-1042 · Supply code: GLV-M · Quantity: 2", in the form's order and with its labels. */
export function valuesText(
  fields: readonly FallbackField[],
  values: Readonly<Record<string, string | number>>,
): string {
  const labelled = fields
    .filter((field) => values[field.name] !== undefined)
    .map((field) => `${field.label}: ${String(values[field.name])}`);
  const known = new Set(fields.map((field) => field.name));
  const others = Object.entries(values)
    .filter(([name]) => !known.has(name))
    .map(([name, value]) => `${name}: ${String(value)}`);
  return [...labelled, ...others].join(' · ');
}
