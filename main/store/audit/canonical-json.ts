/**
 * Canonical JSON for hashing: object keys sorted (by UTF-16 code units, as Array.prototype.sort and
 * RFC 8785 do), no whitespace, and only values that survive a JSON round trip unchanged. Anything
 * JSON.stringify would silently drop or rewrite (undefined in an array, NaN, a Date, a Map, a
 * function, a bigint, a cycle) is rejected instead, so two writers can never hash "the same" value
 * differently and a hash never covers data that was quietly lost.
 */
export class CanonicalJsonError extends TypeError {
  constructor(trail: readonly (string | number)[], problem: string) {
    super(`Not canonical JSON at ${formatTrail(trail)}: ${problem}`);
    this.name = 'CanonicalJsonError';
  }
}

export function canonicalJson(value: unknown): string {
  // Fast path (this runs for every audit row appended): one walk that checks every value and puts
  // each object's keys in sorted order, then the engine's native JSON.stringify writes the text.
  // Anything the walk is unsure of — a value to reject, a key V8 would not keep in insertion order,
  // a nesting deep enough to be a cycle — goes to the reference encoder below, which gives the same
  // text for every valid value and the precise error for an invalid one.
  const sorted = sortedForStringify(value, 0);
  if (sorted !== NOT_SIMPLE) return JSON.stringify(sorted);
  // `trail` and `ancestors` are shared stacks (push/pop) rather than per-call copies: the path text
  // is only needed when something is rejected.
  return encode(value, [], []);
}

/** The reference encoder alone (tests check the fast path against it). */
export function canonicalJsonReference(value: unknown): string {
  return encode(value, [], []);
}

const NOT_SIMPLE: unique symbol = Symbol('not simple');
/** Deeper than this is left to the reference encoder, which tells a cycle from a deep value. */
const MAX_FAST_DEPTH = 64;

/**
 * `value` itself when JSON.stringify already writes it canonically, a copy with sorted keys when only
 * key order differs, or NOT_SIMPLE. Keys starting with a digit are never fast: V8 enumerates
 * array-index keys ("2", "10") numerically before the others, not in UTF-16 order; `__proto__`
 * would set a prototype instead of a key on the copy.
 */
function sortedForStringify(value: unknown, depth: number): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : NOT_SIMPLE;
    case 'object':
      if (value === null) return value;
      if (depth >= MAX_FAST_DEPTH) return NOT_SIMPLE;
      return Array.isArray(value) ? sortedArray(value, depth) : sortedObject(value, depth);
    default:
      return NOT_SIMPLE;
  }
}

function sortedArray(items: readonly unknown[], depth: number): unknown {
  let copy: unknown[] | null = null;
  for (let i = 0; i < items.length; i += 1) {
    const item = items[i];
    if (item === undefined) return NOT_SIMPLE; // a hole or undefined: not JSON
    const sorted = sortedForStringify(item, depth + 1);
    if (sorted === NOT_SIMPLE) return NOT_SIMPLE;
    if (sorted !== item && copy === null) copy = items.slice(0, i);
    if (copy !== null) copy.push(sorted);
  }
  return copy ?? items;
}

function sortedObject(value: object, depth: number): unknown {
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return NOT_SIMPLE;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  let inOrder = true;
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i] as string;
    const first = key.charCodeAt(0);
    if ((first >= 48 && first <= 57) || key === '__proto__') return NOT_SIMPLE;
    if (i > 0 && (keys[i - 1] as string) > key) inOrder = false;
  }
  if (!inOrder) keys.sort();
  let changed = !inOrder;
  const members: unknown[] = new Array<unknown>(keys.length);
  for (let i = 0; i < keys.length; i += 1) {
    const member = record[keys[i] as string];
    // Left out, exactly as the reference encoder and JSON.stringify do.
    if (member === undefined) {
      members[i] = undefined;
      continue;
    }
    const sorted = sortedForStringify(member, depth + 1);
    if (sorted === NOT_SIMPLE) return NOT_SIMPLE;
    if (sorted !== member) changed = true;
    members[i] = sorted;
  }
  if (!changed) return value;
  const copy: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i += 1) {
    if (members[i] !== undefined) copy[keys[i] as string] = members[i];
  }
  return copy;
}

function encode(value: unknown, trail: (string | number)[], ancestors: object[]): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value))
        throw new CanonicalJsonError(trail, `${String(value)} is not a JSON number`);
      // -0 and 0 must hash alike; JSON.stringify already prints both as "0".
      return JSON.stringify(value);
    case 'object':
      if (value === null) return 'null';
      if (ancestors.includes(value)) throw new CanonicalJsonError(trail, 'circular reference');
      ancestors.push(value);
      try {
        return Array.isArray(value)
          ? encodeArray(value, trail, ancestors)
          : encodeObject(value, trail, ancestors);
      } finally {
        ancestors.pop();
      }
    default:
      // undefined at the top level or in an array, functions, symbols, bigint.
      throw new CanonicalJsonError(trail, `a ${typeof value} is not a JSON value`);
  }
}

function encodeArray(items: readonly unknown[], trail: (string | number)[], ancestors: object[]): string {
  let out = '[';
  for (let i = 0; i < items.length; i += 1) {
    trail.push(i);
    // A hole reads as undefined, which encode() rejects: sparse arrays are not JSON.
    out += (i === 0 ? '' : ',') + encode(items[i], trail, ancestors);
    trail.pop();
  }
  return `${out}]`;
}

function encodeObject(value: object, trail: (string | number)[], ancestors: object[]): string {
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    const kind = (value as { constructor?: { name?: string } }).constructor?.name ?? 'object';
    throw new CanonicalJsonError(trail, `a ${kind} is not a plain JSON object`);
  }
  const record = value as Record<string, unknown>;
  let out = '{';
  let first = true;
  for (const key of Object.keys(record).sort()) {
    const member = record[key];
    // An absent optional property and one set to undefined mean the same to TypeScript callers;
    // both are left out, exactly as JSON.stringify does.
    if (member === undefined) continue;
    trail.push(key);
    out += `${first ? '' : ','}${JSON.stringify(key)}:${encode(member, trail, ancestors)}`;
    trail.pop();
    first = false;
  }
  return `${out}}`;
}

function formatTrail(trail: readonly (string | number)[]): string {
  return trail.reduce<string>(
    (path, step) => (typeof step === 'number' ? `${path}[${step}]` : `${path}.${step}`),
    '$',
  );
}
