import { valueError } from './odoo-error.js';
import type { ModelDef, StoredRecord } from './model-types.js';
import { leafRepr } from './py-repr.js';

/**
 * Odoo search domains in Polish (prefix) notation with implicit AND between consecutive terms, as
 * the ORM evaluates them: '&', '|', '!' and leaves [field, operator, value].
 */

type Predicate = (record: StoredRecord) => boolean;
type Lookup = (record: StoredRecord, field: string) => unknown;
type Series = '17.0' | '19.0';

const OPERATORS = new Set([
  '=',
  '!=',
  '<>',
  '<',
  '>',
  '<=',
  '>=',
  'in',
  'not in',
  'like',
  'ilike',
  'not like',
  'not ilike',
  '=like',
  '=ilike',
]);

function likePattern(pattern: string, caseless: boolean, anchored: boolean): RegExp {
  const escaped = pattern
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/%/g, '.*')
    .replace(/_/g, '.');
  return new RegExp(anchored ? `^${escaped}$` : escaped, caseless ? 'is' : 's');
}

function isUnset(value: unknown): boolean {
  return value === false || value === null || value === undefined;
}

function compare(actual: unknown, operator: string, expected: unknown): boolean {
  switch (operator) {
    case '=':
      return isUnset(expected) ? isUnset(actual) : actual === expected;
    case '!=':
    case '<>':
      return isUnset(expected) ? !isUnset(actual) : actual !== expected;
    case 'in':
    case 'not in': {
      const list = Array.isArray(expected) ? expected : [expected];
      const found = list.some((item) => (isUnset(item) ? isUnset(actual) : item === actual));
      return operator === 'in' ? found : !found;
    }
    default:
      break;
  }
  if (isUnset(actual)) return false;
  if (operator.includes('like')) {
    const text = String(actual);
    const caseless = operator.includes('ilike');
    const matched = likePattern(String(expected), caseless, operator.startsWith('=')).test(text);
    return operator.startsWith('not') ? !matched : matched;
  }
  const a = actual as number | string;
  const b = expected as number | string;
  if (operator === '<') return a < b;
  if (operator === '>') return a > b;
  if (operator === '<=') return a <= b;
  return a >= b;
}

function leafPredicate(model: ModelDef, leaf: readonly unknown[], series: Series, lookup: Lookup): Predicate {
  const [field, operator, value] = leaf;
  if (leaf.length !== 3 || typeof operator !== 'string' || !OPERATORS.has(operator.toLowerCase())) {
    throw valueError(`Invalid leaf ${leafRepr(leaf)}`);
  }
  if (field === 1 || field === 0) {
    const constant = field === 1 ? compare(1, operator, value) : compare(0, operator, value);
    return () => constant;
  }
  if (
    typeof field !== 'string' ||
    (field !== 'id' && !(field in model.fields) && !['create_date', 'write_date'].includes(field))
  ) {
    // Odoo 19 calls a leaf a condition.
    const word = series === '17.0' ? 'leaf' : 'condition';
    throw valueError(`Invalid field ${model.name}.${String(field)} in ${word} ${leafRepr(leaf)}`);
  }
  const op = operator.toLowerCase();
  return (record) => compare(lookup(record, field), op, value);
}

export function compileDomain(model: ModelDef, domain: unknown, series: Series, lookup: Lookup): Predicate {
  if (!Array.isArray(domain)) throw valueError(`Invalid domain ${String(domain)}`);
  const terms: readonly unknown[] = domain;
  let position = 0;
  const parse = (): Predicate => {
    const token = terms[position];
    position += 1;
    if (token === '!') {
      const inner = parse();
      return (record) => !inner(record);
    }
    if (token === '&' || token === '|') {
      const left = parse();
      const right = parse();
      return token === '&'
        ? (record) => left(record) && right(record)
        : (record) => left(record) || right(record);
    }
    if (Array.isArray(token)) return leafPredicate(model, token, series, lookup);
    throw valueError(`Invalid domain term ${String(token)}`);
  };
  const parts: Predicate[] = [];
  while (position < terms.length) parts.push(parse());
  return (record) => parts.every((part) => part(record));
}
