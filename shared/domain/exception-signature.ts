/**
 * The grouping key of an exception: its error code, the field the error names, and the shape of the
 * offending value (each digit → 9, each run of letters → a, whitespace → one space). Two records
 * blocked by the same cause (an unmapped supply code "SUP-1042" and "SUP-2210", a missing patient
 * "Jane Doe" and "John Roe") get the same signature, so one fix can settle the whole group, while a
 * different field or a differently shaped value stays apart. Pure: the engine computes it inside its
 * batch transaction, and the store's backfill and any later tool must get the same answer.
 */
export interface ErrorSignature {
  /** `code|field|pattern`; neither code nor field contains a `|`. */
  readonly signature: string;
  readonly code: string;
  readonly field: string;
  readonly pattern: string;
}

const MAX_CODE = 128;
const MAX_FIELD = 64;
const MAX_PATTERN = 64;
const MAX_VALUE = 120;

/** The shape of a value: digits → 9, letter runs → a, whitespace runs → one space, the rest kept. */
export function valuePattern(value: string): string {
  return value
    .replace(/\p{L}+/gu, 'a')
    .replace(/\p{Nd}/gu, '9')
    .replace(/\s+/gu, ' ')
    .trim()
    .slice(0, MAX_PATTERN)
    .trimEnd();
}

function clean(text: string, max: number): string {
  return text.replace(/\|/g, '/').trim().slice(0, max);
}

/** The field an error names: a value map, an Odoo field, or a `field: message` prefix from `load`. */
export function errorField(message: string): string {
  const valueMap = /\bvalue map "([^"\n]{1,64})"/i.exec(message);
  if (valueMap?.[1] !== undefined) return valueMap[1];
  const named = /\bfield\s+(?:"([^"\n]{1,64})"|'([^'\n]{1,64})')/i.exec(message);
  const field = named?.[1] ?? named?.[2];
  if (field !== undefined) return field;
  const prefix = /^([A-Za-z_][\w.]{0,63}):\s/.exec(message);
  return prefix?.[1] ?? '';
}

/**
 * The offending value: the first quoted text that is not the field itself (double quotes first; a
 * single quote right after a letter is an apostrophe, not a quote), else the first token with a
 * digit (a price, a date), else nothing.
 */
export function offendingValue(message: string, field: string): string {
  const quoted = [
    ...message.matchAll(/"([^"\n]{1,120})"/g),
    ...message.matchAll(/(?<!\p{L})'([^'\n]{1,120})'/gu),
  ];
  for (const match of quoted) {
    const value = match[1];
    if (value !== undefined && value !== field) return value;
  }
  const token = /[^\s"']*\p{Nd}[^\s"']*/u.exec(message);
  return (token?.[0] ?? '').replace(/[.,;:)]+$/, '').slice(0, MAX_VALUE);
}

export function errorSignature(code: string, message: string): ErrorSignature {
  const cleanCode = clean(code, MAX_CODE);
  const namedField = errorField(message);
  const field = clean(namedField, MAX_FIELD);
  const pattern = valuePattern(offendingValue(message, namedField));
  return { signature: `${cleanCode}|${field}|${pattern}`, code: cleanCode, field, pattern };
}
