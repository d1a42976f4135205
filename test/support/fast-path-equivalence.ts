import jsonata from 'jsonata';
import { compileFast, NotFast } from '../../main/engine/mapping/fast-path.js';
import { MappingEvalError } from '../../main/engine/mapping/mapping-errors.js';
import { VALUE_MAPS } from './fast-path-arbitraries.js';

/**
 * One (expression, record) case of the fast-path property, run both ways: the JS fast path and
 * JSONata itself. The fast path may decline (null: outside the subset; NotFast: this record is
 * JSONata's to evaluate), but whenever it answers, the answer must be JSONata's, value for value,
 * or the same class of error.
 */

type Table = { readonly onMissing: 'fail' | 'empty'; readonly entries: Readonly<Record<string, string>> };
const TABLES: Readonly<Record<string, Table>> = VALUE_MAPS;

/** `$valueMap` with the engine's semantics (compile-mapping.ts), over the property's value maps. */
export function valueMap(name: unknown, code: unknown): string | undefined {
  if (typeof name !== 'string' || !Object.hasOwn(TABLES, name)) {
    throw new MappingEvalError('mapping.unknown-value-map', `There is no value map named "${String(name)}".`);
  }
  const table = TABLES[name];
  if (table === undefined || code === undefined || code === null) return undefined;
  if (typeof code !== 'string' && typeof code !== 'number' && typeof code !== 'boolean') {
    throw new MappingEvalError(
      'mapping.bad-code',
      `A code looked up in value map "${name}" must be text or a number.`,
    );
  }
  const key = String(code);
  if (Object.hasOwn(table.entries, key)) return table.entries[key];
  if (table.onMissing === 'empty') return undefined;
  throw new MappingEvalError('mapping.unmapped-code', `Value map "${name}" has no entry for code "${key}".`);
}
/** The engine registers `$valueMap` with this signature, so JSONata checks its arguments first. */
const VALUE_MAP_SIGNATURE = '<sx?:s>';

/**
 * The class of an error, what the engine tells an operator apart by: a value-map error keeps its
 * own code (the engine reports it as is), and every other error becomes mapping.expression-failed
 * there, so all JSONata errors are one class, named by its code family (T type, D evaluation).
 */
export function errorClass(error: unknown): string {
  if (error instanceof MappingEvalError) return error.code;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return `jsonata ${code.charAt(0)}`;
  return `js ${(error as Error | null)?.name ?? typeof error}`;
}

/** Equal as the engine would keep them: same keys, same values, -0 apart from 0, arrays by content. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return Object.is(a, b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((item, index) => sameValue(item, b[index]));
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  return (
    keys.length === Object.keys(right).length &&
    keys.every((key) => Object.hasOwn(right, key) && sameValue(left[key], right[key]))
  );
}

export type Outcome = { readonly value: unknown } | { readonly error: string };
export type Verdict =
  | { readonly kind: 'not-compiled' }
  | { readonly kind: 'not-fast' }
  | { readonly kind: 'same'; readonly outcome: Outcome }
  | { readonly kind: 'different'; readonly fast: Outcome; readonly jsonata: Outcome };

const show = (outcome: Outcome): string =>
  'error' in outcome ? `error ${outcome.error}` : `value ${describe(outcome.value)}`;
function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (Object.is(value, -0)) return '-0';
  return JSON.stringify(value, (_key, item: unknown) => (Object.is(item, -0) ? '-0' : item));
}
export const explainVerdict = (verdict: Verdict): string =>
  verdict.kind === 'different'
    ? `fast ${show(verdict.fast)} but JSONata ${show(verdict.jsonata)}`
    : verdict.kind;

async function jsonataOutcome(expression: string, record: unknown): Promise<Outcome> {
  try {
    const compiled = jsonata(expression);
    compiled.registerFunction('valueMap', valueMap, VALUE_MAP_SIGNATURE);
    return { value: (await compiled.evaluate(record)) as unknown };
  } catch (error) {
    return { error: errorClass(error) };
  }
}

function agree(fast: Outcome, full: Outcome): boolean {
  if ('error' in fast || 'error' in full)
    return 'error' in fast && 'error' in full && fast.error === full.error;
  return sameValue(fast.value, full.value);
}

export async function judgeCase(expression: string, record: unknown): Promise<Verdict> {
  jsonata(expression); // a generator bug (text that does not parse) fails here, not as "not compiled"
  const fn = compileFast(expression, valueMap);
  if (fn === null) return { kind: 'not-compiled' };
  let fast: Outcome;
  try {
    fast = { value: fn(record) };
  } catch (error) {
    if (error instanceof NotFast) return { kind: 'not-fast' };
    fast = { error: errorClass(error) };
  }
  const full = await jsonataOutcome(expression, record);
  return agree(fast, full) ? { kind: 'same', outcome: fast } : { kind: 'different', fast, jsonata: full };
}
