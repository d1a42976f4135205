/**
 * Compare a response with a recorded one: the same JSON shape everywhere (types, object keys, array
 * lengths) and the same values except at the paths the caller marks volatile (database ids handed
 * out in another order, timestamps).
 */
export function shapeDifferences(
  actual: unknown,
  expected: unknown,
  volatile: (path: string) => boolean,
  path = '$',
): string[] {
  const kind = (value: unknown): string =>
    value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  if (kind(actual) !== kind(expected)) return [`${path}: ${kind(actual)} instead of ${kind(expected)}`];
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (actual.length !== expected.length)
      return [`${path}: ${actual.length} items instead of ${expected.length}`];
    return expected.flatMap((item, index) =>
      shapeDifferences(actual[index], item, volatile, `${path}[${index}]`),
    );
  }
  if (typeof expected === 'object' && expected !== null) {
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    const missing = Object.keys(e).filter((key) => !(key in a));
    const extra = Object.keys(a).filter((key) => !(key in e));
    if (missing.length > 0 || extra.length > 0)
      return [`${path}: keys missing [${missing.join(', ')}], extra [${extra.join(', ')}]`];
    return Object.keys(e).flatMap((key) => shapeDifferences(a[key], e[key], volatile, `${path}.${key}`));
  }
  if (actual !== expected && !volatile(path))
    return [`${path}: ${JSON.stringify(actual)} instead of ${JSON.stringify(expected)}`];
  return [];
}
