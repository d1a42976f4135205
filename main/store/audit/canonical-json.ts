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
  // `trail` and `ancestors` are shared stacks (push/pop) rather than per-call copies: this runs for
  // every audit row, and the path text is only needed when something is rejected.
  return encode(value, [], []);
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
