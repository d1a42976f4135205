import type { z } from 'zod';

/** Errors to show next to fields (keyed by dotted field path) and one for the form as a whole. */
export interface FormErrors {
  readonly fields: Readonly<Record<string, string>>;
  readonly form: string | null;
}

export const NO_ERRORS: FormErrors = { fields: {}, form: null };

const FIELD_SEGMENT = /^([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*): (.+)$/;

/**
 * Splits an 'invalid-input' message from the server ("settings.baseUrl: Enter a full URL; name: …")
 * into field errors, so each shows under its own field. Anything that does not name a field stays a
 * form-level message.
 */
export function errorsFromMessage(message: string): FormErrors {
  const fields: Record<string, string> = {};
  const rest: string[] = [];
  for (const segment of message.split('; ')) {
    const match = FIELD_SEGMENT.exec(segment.trim());
    if (match?.[1] !== undefined && match[2] !== undefined && !(match[1] in fields))
      fields[match[1]] = match[2];
    else if (segment.trim() !== '') rest.push(segment.trim());
  }
  return { fields, form: rest.length > 0 ? rest.join(' ') : null };
}

/** The same shape from a local zod check, run before sending so most mistakes never reach the server. */
export function errorsFromZod(error: z.ZodError, prefix: readonly (string | number)[] = []): FormErrors {
  const fields: Record<string, string> = {};
  const rest: string[] = [];
  for (const issue of error.issues) {
    const path = [...prefix, ...issue.path.map(String)].join('.');
    if (path === '') rest.push(issue.message);
    else fields[path] ??= issue.message;
  }
  return { fields, form: rest.length > 0 ? rest.join(' ') : null };
}

export function hasErrors(errors: FormErrors): boolean {
  return errors.form !== null || Object.keys(errors.fields).length > 0;
}

export function mergeErrors(a: FormErrors, b: FormErrors): FormErrors {
  return { fields: { ...b.fields, ...a.fields }, form: a.form ?? b.form };
}

/**
 * Field errors only help where a field shows them: errors for paths no input on this form displays
 * are moved into the form-level message, so none is ever silently dropped.
 */
export function placeErrors(errors: FormErrors, shownFields: readonly string[]): FormErrors {
  const shown = new Set(shownFields);
  const fields: Record<string, string> = {};
  const unplaced: string[] = [];
  for (const [path, message] of Object.entries(errors.fields)) {
    if (shown.has(path)) fields[path] = message;
    else unplaced.push(`${path}: ${message}`);
  }
  const form = [errors.form, ...unplaced].filter((part): part is string => part !== null).join(' ');
  return { fields, form: form === '' ? null : form };
}
