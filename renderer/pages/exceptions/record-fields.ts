/**
 * The edit-and-replay form's model: a source record as its leaf fields (path → value), so a finance
 * user edits `suppliedItem.code` in a plain input instead of JSON. Each leaf keeps its JSON type: a
 * number is typed back as a number, a boolean stays a boolean, a null stays null unless a value is
 * typed in. The record's shape (keys, lists) is only changed in the JSON view.
 */
export type LeafKind = 'string' | 'number' | 'boolean' | 'null' | 'empty-object' | 'empty-list';

export type PathPart = string | number;

export interface LeafField {
  readonly path: readonly PathPart[];
  /** `suppliedItem.code`, `lines[0].qty`: what the input is labelled with. */
  readonly label: string;
  readonly kind: LeafKind;
  /** The value as the input shows it. */
  readonly text: string;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function pathLabel(path: readonly PathPart[]): string {
  let label = '';
  for (const part of path) {
    if (typeof part === 'number') label += `[${part}]`;
    else if (IDENTIFIER.test(part)) label += label === '' ? part : `.${part}`;
    else label += `[${JSON.stringify(part)}]`;
  }
  return label === '' ? '(record)' : label;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function leafOf(path: readonly PathPart[], value: unknown): LeafField {
  const label = pathLabel(path);
  if (value === null || value === undefined) return { path, label, kind: 'null', text: '' };
  if (typeof value === 'number') return { path, label, kind: 'number', text: String(value) };
  if (typeof value === 'boolean') return { path, label, kind: 'boolean', text: String(value) };
  if (Array.isArray(value)) return { path, label, kind: 'empty-list', text: '[]' };
  if (isPlainObject(value)) return { path, label, kind: 'empty-object', text: '{}' };
  // JSON holds nothing else than strings here (a record is parsed JSON).
  return { path, label, kind: 'string', text: typeof value === 'string' ? value : JSON.stringify(value) };
}

/** Every leaf of a record in document order; empty objects and lists are leaves the form shows read-only. */
export function leafFields(record: unknown): LeafField[] {
  const fields: LeafField[] = [];
  function walk(value: unknown, path: PathPart[]): void {
    if (Array.isArray(value) && value.length > 0) {
      value.forEach((item, index) => walk(item, [...path, index]));
      return;
    }
    if (isPlainObject(value) && Object.keys(value).length > 0) {
      for (const [key, item] of Object.entries(value)) walk(item, [...path, key]);
      return;
    }
    fields.push(leafOf(path, value));
  }
  walk(record, []);
  return fields;
}

export type LeafParse =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };

/** The typed value of an input's text, kept to the leaf's original type. */
export function parseLeaf(kind: LeafKind, text: string): LeafParse {
  switch (kind) {
    case 'string':
      return { ok: true, value: text };
    case 'number': {
      const trimmed = text.trim();
      const value = Number(trimmed);
      if (trimmed === '' || !Number.isFinite(value))
        return { ok: false, error: 'Type a number, like 12 or 4.5' };
      return { ok: true, value };
    }
    case 'boolean':
      if (text === 'true' || text === 'false') return { ok: true, value: text === 'true' };
      return { ok: false, error: 'Choose yes or no' };
    case 'null':
      // An empty input keeps the null; typing a value fills the field in as text.
      return { ok: true, value: text === '' ? null : text };
    case 'empty-object':
      return { ok: true, value: {} };
    case 'empty-list':
      return { ok: true, value: [] };
  }
}

export type RecordBuild =
  | { readonly ok: true; readonly record: Record<string, unknown> }
  | { readonly ok: false; readonly errors: Readonly<Record<string, string>> };

function setAt(target: unknown, path: readonly PathPart[], value: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return value;
  if (Array.isArray(target) && typeof head === 'number') {
    const copy = [...(target as unknown[])];
    copy[head] = setAt(copy[head], rest, value);
    return copy;
  }
  const copy: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  copy[String(head)] = setAt(copy[String(head)], rest, value);
  return copy;
}

/**
 * The edited record: the base record with each leaf's typed value put back at its path (so keys keep
 * their order and nothing the form does not show is lost), or each input's error by its label.
 */
export function buildRecord(
  base: unknown,
  fields: readonly LeafField[],
  texts: Readonly<Record<string, string>>,
): RecordBuild {
  const errors: Record<string, string> = {};
  let record: unknown = isPlainObject(base) ? base : {};
  for (const field of fields) {
    const parsed = parseLeaf(field.kind, texts[field.label] ?? field.text);
    if (!parsed.ok) errors[field.label] = parsed.error;
    else record = setAt(record, field.path, parsed.value);
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, record: isPlainObject(record) ? record : {} };
}

export type JsonParse =
  | { readonly ok: true; readonly record: Record<string, unknown> }
  | { readonly ok: false; readonly error: string };

/** The JSON view's text as a record: it must be a JSON object, as a source record is. */
export function recordFromJson(text: string): JsonParse {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `Not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!isPlainObject(value)) return { ok: false, error: 'The record must be a JSON object ({ … })' };
  return { ok: true, record: value };
}

/** The inputs' texts for a record, by label: what the form starts with. */
export function textsOf(fields: readonly LeafField[]): Record<string, string> {
  return Object.fromEntries(fields.map((field) => [field.label, field.text]));
}

/**
 * The server's refusal as a list: an edit-and-replay the active mapping rejects answers
 * "…does not pass the active mapping: reason one; reason two".
 */
export function refusalReasons(message: string): string[] {
  const marker = 'does not pass the active mapping: ';
  const at = message.indexOf(marker);
  if (at === -1) return [message];
  return message
    .slice(at + marker.length)
    .split('; ')
    .map((reason) => reason.trim())
    .filter((reason) => reason !== '');
}
