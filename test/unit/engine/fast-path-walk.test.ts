import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { compileFast, NotFast } from '../../../main/engine/mapping/fast-path.js';

/**
 * Paths walk one value without arrays until a step fans out; from there the general walk takes
 * over. Either way the answer must be JSONata's own, or NotFast (then JSONata decides).
 */

const PATHS = ['a', 'a.b', 'a.b.c', 'a[0].b', 'a.b[1]', 'a[1]', 'a.b[0].c', 'a.b.c[0]'];
const INPUTS: unknown[] = [
  {},
  { a: 1 },
  { a: 'x' },
  { a: { b: 2 } },
  { a: { b: { c: 3 } } },
  { a: [{ b: 1 }, { b: 2 }] },
  { a: [{ b: 1 }] },
  { a: { b: [1, 2, 3] } },
  { a: { b: [{ c: 'p' }, { c: 'q' }] } },
  { a: { b: [{ c: ['r'] }] } },
  { a: { b: [[1], [2]] } },
  { a: [[{ b: 1 }]] },
  { a: { b: null } },
  { a: { b: false } },
  { a: [] },
  { a: { b: [] } },
  { a: 'text', b: 1 },
];

const noValueMap = (): never => {
  throw new Error('unused');
};

async function jsonataValue(path: string, input: unknown): Promise<unknown> {
  const value: unknown = await jsonata(path).evaluate(input);
  // JSONata's sequences are arrays with a marker; compare their plain contents.
  return Array.isArray(value) ? [...(value as unknown[])] : value;
}

describe('fast path walks', () => {
  it.each(PATHS)('%s gives what JSONata gives, or steps aside', async (path) => {
    const fast = compileFast(path, noValueMap);
    expect(fast).not.toBeNull();
    for (const input of INPUTS) {
      let mine: unknown;
      try {
        mine = fast?.(input);
      } catch (error) {
        expect(error).toBeInstanceOf(NotFast);
        continue;
      }
      expect(mine, `${path} over ${JSON.stringify(input)}`).toEqual(await jsonataValue(path, input));
    }
  });
});
