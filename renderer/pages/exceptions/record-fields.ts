/**
 * The edit-and-replay form's model: a source record as its leaf fields (path → value), so a finance
 * user edits `suppliedItem.code` in a plain input instead of JSON. Each leaf keeps its JSON type: a
 * number is typed back as a number, a boolean stays a boolean, a null stays null unless a value is
 * typed in. New leaf fields can be added by path (see `newField`); everything else about the
 * record's shape (removing keys, reordering lists) is changed in the JSON view.
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
  /** Added in the form ("Add a field"), not in the record: only these can be removed again. */
  readonly added?: boolean;
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
  // A number under nothing yet starts a list: an added `coding[0].code` makes `coding` a list.
  if (typeof head === 'number' && (Array.isArray(target) || target === undefined)) {
    const copy = Array.isArray(target) ? [...(target as unknown[])] : [];
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

export type PathParse =
  { readonly ok: true; readonly path: PathPart[] } | { readonly ok: false; readonly error: string };

// One step of a path as `pathLabel` writes it: `[0]`, `["odd key"]` or a bare name (`coding`, `0`).
const BRACKET_INDEX = /^\[(\d+)\]/;
const BRACKET_KEY = /^\[("(?:[^"\\]|\\.)*")\]/;
const BARE_NAME = /^[^.[\]\s"]+/;

/**
 * A typed path as its parts, reading what `pathLabel` writes (`coding[0].code`, `["odd key"]`) and
 * the dotted form a user may type instead (`coding.0.code`: a bare number is a list index).
 */
export function parsePath(text: string): PathParse {
  const source = text.trim();
  if (source === '') return { ok: false, error: 'Type the path of the field, like patient.reference' };
  const invalid: PathParse = {
    ok: false,
    error: `"${source}" is not a field path: write it like patient.reference or coding[0].code`,
  };
  const path: PathPart[] = [];
  let rest = source;
  let afterDot = false;
  while (rest !== '' || afterDot) {
    const index = afterDot ? null : BRACKET_INDEX.exec(rest);
    const key = afterDot || index !== null ? null : BRACKET_KEY.exec(rest);
    if (index?.[1] !== undefined) path.push(Number(index[1]));
    else if (key?.[1] !== undefined) path.push(JSON.parse(key[1]) as string);
    const bare = index === null && key === null ? BARE_NAME.exec(rest) : null;
    if (bare !== null) path.push(/^\d+$/.test(bare[0]) ? Number(bare[0]) : bare[0]);
    const step = index ?? key ?? bare;
    if (step === null) return invalid;
    rest = rest.slice(step[0].length);
    afterDot = rest.startsWith('.');
    if (afterDot) rest = rest.slice(1);
    else if (rest !== '' && !rest.startsWith('[')) return invalid;
  }
  return { ok: true, path };
}

/** The types a finance user can give an added field: text, a number, true/false or empty (null). */
export type NewFieldType = 'text' | 'number' | 'boolean' | 'null';

export interface NewFieldDraft {
  readonly path: string;
  readonly value: string;
  readonly type: NewFieldType;
}

export interface NewFieldErrors {
  readonly path?: string;
  readonly value?: string;
}

export type NewFieldResult =
  { readonly ok: true; readonly field: LeafField } | { readonly ok: false; readonly errors: NewFieldErrors };

/** The record as the form will build it, structurally: the base plus the fields added so far. */
function shapeOf(base: unknown, fields: readonly LeafField[]): unknown {
  return fields
    .filter((field) => field.added === true)
    .reduce<unknown>((record, field) => setAt(record, field.path, null), isPlainObject(base) ? base : {});
}

type PathCheck =
  { readonly ok: true; readonly path: PathPart[] } | { readonly ok: false; readonly error: string };

/**
 * Where the path lands in the record: it must end at nothing yet (not at a value or a group that
 * exists), and every step before must be a group of fields or a list, so adding never overwrites.
 */
function checkNewPath(shape: unknown, path: readonly PathPart[]): PathCheck {
  const resolved: PathPart[] = [];
  let node: unknown = shape;
  for (const part of path) {
    const here = pathLabel(resolved);
    if (Array.isArray(node)) {
      if (typeof part !== 'number')
        return { ok: false, error: `${here} is a list: pick an item by its number, like ${here}[0]` };
      if (part > node.length)
        return {
          ok: false,
          error: `${here} has ${node.length} item${node.length === 1 ? '' : 's'}: a new item goes at [${node.length}]`,
        };
      node = node[part];
      resolved.push(part);
    } else if (isPlainObject(node)) {
      const key = String(part); // `0` under a group is a key named "0", as the record has it
      node = Object.hasOwn(node, key) ? node[key] : undefined;
      resolved.push(key);
    } else if (node === undefined) {
      // A new list starts at its first item; a new group takes any name.
      if (typeof part === 'number' && part !== 0)
        return { ok: false, error: `${here} is a new list: its first item is ${here}[0]` };
      resolved.push(part);
    } else {
      return { ok: false, error: `${here} holds a single value, not fields: nothing can be added under it` };
    }
  }
  if (node !== undefined) {
    const label = pathLabel(resolved);
    return { ok: false, error: `${label} already exists: change it in the list above` };
  }
  return { ok: true, path: resolved };
}

const TYPE_KINDS: Readonly<Record<NewFieldType, LeafKind>> = {
  text: 'string',
  number: 'number',
  boolean: 'boolean',
  null: 'null',
};

/** The typed value's text as its leaf shows it, or why it is not of the chosen type. */
function newValueText(type: NewFieldType, value: string): { text: string } | { error: string } {
  switch (type) {
    case 'text':
      return { text: value };
    case 'number': {
      const parsed = parseLeaf('number', value);
      return parsed.ok ? { text: String(parsed.value) } : { error: parsed.error };
    }
    case 'boolean': {
      const word = value.trim().toLowerCase();
      if (word === 'true' || word === 'yes') return { text: 'true' };
      if (word === 'false' || word === 'no') return { text: 'false' };
      return { error: 'Type true or false' };
    }
    case 'null':
      if (value !== '') return { error: 'An empty (null) field takes no value: clear it or choose text' };
      return { text: '' };
  }
}

/**
 * The field "Add a field" puts into the form, or each input's error. The field is built into the
 * record by `buildRecord` like any other leaf (its missing groups and lists are created there).
 */
export function newField(base: unknown, fields: readonly LeafField[], draft: NewFieldDraft): NewFieldResult {
  const parsed = parsePath(draft.path);
  const checked = parsed.ok ? checkNewPath(shapeOf(base, fields), parsed.path) : parsed;
  const value = newValueText(draft.type, draft.value);
  const errors: NewFieldErrors = {
    ...(checked.ok ? {} : { path: checked.error }),
    ...('error' in value ? { value: value.error } : {}),
  };
  if (!checked.ok || 'error' in value) return { ok: false, errors };
  const field: LeafField = {
    path: checked.path,
    label: pathLabel(checked.path),
    kind: TYPE_KINDS[draft.type],
    text: value.text,
    added: true,
  };
  return { ok: true, field };
}
