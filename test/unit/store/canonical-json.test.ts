import { describe, expect, it } from 'vitest';
import { CanonicalJsonError, canonicalJson } from '../../../main/store/audit/canonical-json.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}',
    );
  });

  it('gives the same text for the same value built in a different key order', () => {
    const one = { flow: 'supply', ids: [1, 2], meta: { by: 'engine', at: 't' } };
    const two = { meta: { at: 't', by: 'engine' }, ids: [1, 2], flow: 'supply' };
    expect(canonicalJson(one)).toBe(canonicalJson(two));
  });

  it('sorts by UTF-16 code units and escapes strings like JSON', () => {
    expect(canonicalJson({ é: 1, e: 2, Z: 3, '\u0001': 'a"b\\c\n' })).toBe(
      '{"\\u0001":"a\\"b\\\\c\\n","Z":3,"e":2,"é":1}',
    );
  });

  it('round-trips through JSON.parse unchanged', () => {
    const value = { s: 'ünïcode ✓', n: -12.5e-3, big: 1e21, t: true, f: false, nul: null, list: [[], {}] };
    expect(JSON.parse(canonicalJson(value))).toEqual(value);
  });

  it('prints -0 as 0 so equal numbers hash alike', () => {
    expect(canonicalJson({ n: -0 })).toBe('{"n":0}');
  });

  it('leaves out object members that are undefined, as JSON.stringify does', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
  });

  it('accepts the same object twice when it is not a cycle', () => {
    const shared = { k: 1 };
    expect(canonicalJson([shared, { again: shared }])).toBe('[{"k":1},{"again":{"k":1}}]');
  });

  it('accepts objects without a prototype', () => {
    const bare = Object.create(null) as Record<string, unknown>;
    bare.x = 1;
    expect(canonicalJson(bare)).toBe('{"x":1}');
  });

  const rejected: [string, unknown, RegExp][] = [
    ['undefined at the top', undefined, /\$: a undefined/],
    ['undefined in an array', [1, undefined], /\$\[1\]: a undefined/],
    // eslint-disable-next-line no-sparse-arrays -- the point of the case
    ['a sparse array', [1, , 3], /\$\[1\]/],
    ['a function', { f: () => 1 }, /\$\.f: a function/],
    ['NaN', { n: Number.NaN }, /NaN is not a JSON number/],
    ['Infinity', [Number.POSITIVE_INFINITY], /Infinity is not a JSON number/],
    ['a bigint', { n: 10n }, /a bigint/],
    ['a symbol', { s: Symbol('x') }, /a symbol/],
    ['a Date', { d: new Date(0) }, /a Date is not a plain JSON object/],
    ['a Map', { m: new Map([[1, 2]]) }, /a Map is not a plain JSON object/],
    [
      'a class instance',
      {
        c: new (class Point {
          readonly x = 1;
        })(),
      },
      /a Point is not a plain JSON object/,
    ],
    ['a Buffer', { b: Buffer.from('x') }, /a Buffer is not a plain JSON object/],
  ];
  it.each(rejected)('rejects %s', (_label, value, message) => {
    expect(() => canonicalJson(value)).toThrow(CanonicalJsonError);
    expect(() => canonicalJson(value)).toThrow(message);
  });

  it('rejects a cycle instead of recursing forever', () => {
    const loop: Record<string, unknown> = { a: 1 };
    loop.self = { back: loop };
    expect(() => canonicalJson(loop)).toThrow(/\$\.self\.back: circular reference/);
  });
});
