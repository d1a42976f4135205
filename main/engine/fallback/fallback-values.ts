import type { FallbackField } from '../../../shared/domain/fallback.js';
import type { FlowFallback } from '../../../shared/domain/flow-fallback.js';

export type FallbackValue = string | number;
export type FallbackValues = Readonly<Record<string, FallbackValue>>;

/** An entry the form refuses; the message lists every problem, for the operator. */
export class FallbackValuesError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join(' '));
    this.name = 'FallbackValuesError';
  }
}

/** ISO 8601 date and time WITH its offset: a time without one means a different instant per machine. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function validDate(text: string): boolean {
  return DATE.test(text) && new Date(`${text}T00:00:00Z`).toISOString().slice(0, 10) === text;
}

/** One value as the field's type wants it, or the operator's problem with it. */
function checkedValue(field: FallbackField, raw: FallbackValue): FallbackValue | string[] {
  const label = field.label;
  switch (field.type) {
    case 'number': {
      // A blank text never gets here (checkedValues treats it as not given).
      const value = typeof raw === 'number' ? raw : Number(raw.trim());
      return Number.isFinite(value) ? value : [`${label}: "${String(raw)}" is not a number.`];
    }
    case 'date-time': {
      const text = String(raw).trim();
      return DATE_TIME.test(text) && Number.isFinite(Date.parse(text)) && validDate(text.slice(0, 10))
        ? text
        : [`${label}: give a date and time with its UTC offset, e.g. 2026-12-02T08:30:00+01:00.`];
    }
    case 'date': {
      const text = String(raw).trim();
      return validDate(text) ? text : [`${label}: give a date as YYYY-MM-DD, e.g. 2026-12-02.`];
    }
    case 'text':
      return String(raw).trim();
  }
}

/**
 * The entry's values checked against the form: no unknown field, every required field given (a
 * blank text counts as not given), numbers finite (a numeric text is taken as its number), dates and
 * times ISO 8601. Blank optional fields are left out. Throws FallbackValuesError with all problems.
 */
export function checkedValues(
  fields: readonly FallbackField[],
  values: FallbackValues,
): Record<string, FallbackValue> {
  const problems: string[] = [];
  const known = new Set(fields.map((field) => field.name));
  for (const name of Object.keys(values)) {
    if (!known.has(name))
      problems.push(`"${name}" is not a field of this form (its fields: ${[...known].join(', ')}).`);
  }
  const checked: Record<string, FallbackValue> = {};
  for (const field of fields) {
    const raw = Object.hasOwn(values, field.name) ? values[field.name] : undefined;
    const blank = raw === undefined || (typeof raw === 'string' && raw.trim() === '');
    if (blank) {
      if (field.required) problems.push(`${field.label} is required.`);
      continue;
    }
    const value = checkedValue(field, raw);
    if (Array.isArray(value)) problems.push(...value);
    else checked[field.name] = value;
  }
  if (problems.length > 0) throw new FallbackValuesError(problems);
  return checked;
}

/** Sets a value at a dot path, making objects, and lists for number segments, on the way. */
function setPath(record: Record<string, unknown>, path: string, value: unknown): void {
  const segments = path.split('.');
  let node: Record<string, unknown> | unknown[] = record;
  segments.forEach((segment, index) => {
    const last = index === segments.length - 1;
    const key = Array.isArray(node) ? Number(segment) : segment;
    const holder = node as Record<string | number, unknown>;
    if (last) {
      holder[key] = value;
      return;
    }
    if (typeof holder[key] !== 'object' || holder[key] === null)
      holder[key] = /^[0-9]+$/.test(segments[index + 1] ?? '') ? [] : {};
    node = holder[key] as Record<string, unknown> | unknown[];
  });
}

/**
 * The source record an entry stands in for: the fixed values, each value at its path, and `id` =
 * the provisional id (the mapping's key expression reads it, so the entry gets a provisional key).
 * A list filled only at position 1 gets a null at 0: JSON has no holes.
 */
export function sourceRecordOf(
  settings: Pick<FlowFallback, 'fields' | 'constants'>,
  values: FallbackValues,
  provisionalId: string,
): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const constant of settings.constants) setPath(record, constant.path, constant.value);
  for (const field of settings.fields) {
    if (Object.hasOwn(values, field.name)) setPath(record, field.path, values[field.name]);
  }
  record.id = provisionalId;
  return JSON.parse(JSON.stringify(record)) as Record<string, unknown>;
}

/** The value at a dot path of a source record; through a list by position (or its first element). */
export function valueAt(record: unknown, path: string): unknown {
  let node: unknown = record;
  for (const segment of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    if (Array.isArray(node)) {
      node = /^[0-9]+$/.test(segment)
        ? node[Number(segment)]
        : (node[0] as Record<string, unknown> | undefined)?.[segment];
    } else {
      node = Object.hasOwn(node, segment) ? (node as Record<string, unknown>)[segment] : undefined;
    }
  }
  return node;
}

/**
 * A value as matching compares it: text trimmed; numbers as numbers (a numeric text too); a date
 * and time as its instant, or as its UTC day ('YYYY-MM-DD') when it is a match key (the source and
 * the person rarely agree to the minute; "the same day" is what identifies the event); a date as
 * written. Null when there is no usable value.
 */
export function comparable(field: FallbackField, value: unknown, byDay: boolean): string | number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return null;
  switch (field.type) {
    case 'number': {
      const number = typeof value === 'number' ? value : Number(String(value).trim());
      return String(value).trim() !== '' && Number.isFinite(number) ? number : null;
    }
    case 'date-time': {
      const ms = Date.parse(String(value).trim());
      if (!Number.isFinite(ms)) return null;
      return byDay ? new Date(ms).toISOString().slice(0, 10) : ms;
    }
    case 'date': {
      const text = String(value).trim().slice(0, 10);
      return text === '' ? null : text;
    }
    case 'text': {
      const text = String(value).trim();
      return text === '' ? null : text;
    }
  }
}
