import { describe, expect, it } from 'vitest';
import { canonicalJson, canonicalJsonReference } from '../../../main/store/audit/canonical-json.js';

/** A small seeded generator, so a failure names a value that can be replayed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

// Keys that stress ordering: array-index keys V8 enumerates numerically, mixed case, non-ASCII,
// surrogates, the empty key, __proto__-like and escapes.
const KEYS = [
  'b',
  'a',
  'B',
  '10',
  '9',
  '2',
  '01',
  '-1',
  'é',
  '\ud83d\ude00',
  '',
  'z',
  'a b',
  '"q"',
  'toJSON',
  'x\n',
];
const STRINGS = ['', 'plain', 'é', '\u2028', '\ud800', 'quote"', 'back\\slash', '\u0000'];

function value(random: () => number, depth: number): unknown {
  const pick = random();
  if (depth > 3 || pick < 0.35) {
    const leaf = Math.floor(random() * 6);
    if (leaf === 0) return STRINGS[Math.floor(random() * STRINGS.length)];
    if (leaf === 1) return random() < 0.5;
    if (leaf === 2) return null;
    if (leaf === 3) return [0, -0, 1.5, 1e21, -7, 2 ** 53][Math.floor(random() * 6)];
    if (leaf === 4) return Math.floor(random() * 1000);
    return undefined; // dropped in an object, rejected in an array
  }
  if (pick < 0.6) return Array.from({ length: Math.floor(random() * 4) }, () => value(random, depth + 1));
  const object: Record<string, unknown> =
    random() < 0.1 ? (Object.create(null) as Record<string, unknown>) : {};
  const count = Math.floor(random() * 6);
  for (let i = 0; i < count; i += 1)
    object[KEYS[Math.floor(random() * KEYS.length)]!] = value(random, depth + 1);
  return object;
}

function outcome(encode: (v: unknown) => string, v: unknown): string {
  try {
    return `ok:${encode(v)}`;
  } catch (error) {
    return `error:${(error as Error).message}`;
  }
}

describe('canonicalJson fast path', () => {
  it('writes exactly what the reference encoder writes, and rejects exactly what it rejects', () => {
    const random = seeded(20261202);
    for (let i = 0; i < 20_000; i += 1) {
      const v = value(random, 0);
      expect(outcome(canonicalJson, v), `value #${i}`).toBe(outcome(canonicalJsonReference, v));
    }
  });

  it('orders array-index keys by UTF-16 like every other key, and keeps a __proto__ key as a key', () => {
    expect(canonicalJson({ 10: 'a', 9: 'b', 2: 'c', x: 1 })).toBe('{"10":"a","2":"c","9":"b","x":1}');
    expect(canonicalJson(JSON.parse('{"__proto__":{"b":1,"a":2},"a":0}'))).toBe(
      '{"__proto__":{"a":2,"b":1},"a":0}',
    );
    const deep: Record<string, unknown> = {};
    let at = deep;
    for (let i = 0; i < 100; i += 1)
      at = at[`k${i % 2 === 0 ? 'b' : 'a'}`] = { y: 1, x: 2 } as Record<string, unknown>;
    expect(canonicalJson(deep)).toBe(canonicalJsonReference(deep));
  });
});
