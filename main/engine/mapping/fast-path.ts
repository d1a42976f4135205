import jsonata from 'jsonata';

/**
 * A JavaScript compilation of the JSONata subset that everyday mappings use (paths with numeric
 * indexes, literals, `&`, comparisons, arithmetic, and/or, conditions, object and array
 * constructors, and a few string functions). JSONata's evaluator costs ≈ 30–110 µs a record; this
 * costs a few. It never guesses: an expression outside the subset does not compile (null), and a
 * record whose values fall outside the simple cases (a path that yields several values, an operand
 * of an unexpected type) throws NotFast, and that record is evaluated by JSONata itself instead.
 */
export class NotFast extends Error {
  constructor() {
    super('not on the fast path');
  }
}

export type FastFn = (input: unknown) => unknown;
export type ValueMapFn = (name: unknown, code: unknown) => unknown;

interface Node {
  readonly type: string;
  readonly value?: unknown;
  readonly steps?: readonly Node[];
  readonly stages?: readonly Node[];
  readonly expr?: Node;
  readonly lhs?: Node | readonly (readonly [Node, Node])[];
  readonly rhs?: Node;
  readonly expression?: Node;
  readonly expressions?: readonly Node[];
  readonly arguments?: readonly Node[];
  readonly procedure?: Node;
  readonly condition?: Node;
  readonly then?: Node;
  readonly else?: Node;
  readonly predicate?: unknown;
  readonly group?: unknown;
  readonly keepArray?: unknown;
  readonly focus?: unknown;
  readonly index?: unknown;
  readonly tuple?: unknown;
}

const notFast = (): never => {
  throw new NotFast();
};
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const SURROGATES = /[\uD800-\uDFFF]/;

/** Compiles one expression, or null when it uses anything outside the subset. */
export function compileFast(expression: string, valueMap: ValueMapFn): FastFn | null {
  try {
    return compileNode(jsonata(expression).ast() as Node, valueMap);
  } catch {
    return null;
  }
}

function compileNode(node: Node, valueMap: ValueMapFn): FastFn {
  if (
    node.predicate !== undefined ||
    node.group !== undefined ||
    node.keepArray !== undefined ||
    node.focus !== undefined
  ) {
    throw new NotFast();
  }
  switch (node.type) {
    case 'string':
    case 'number':
    case 'value': {
      const constant = node.value;
      return () => constant;
    }
    case 'path':
      return compilePath(node.steps ?? []);
    case 'binary':
      return compileBinary(node, valueMap);
    case 'unary':
      return compileUnary(node, valueMap);
    case 'condition': {
      const condition = compileNode(node.condition ?? notFast(), valueMap);
      const then = compileNode(node.then ?? notFast(), valueMap);
      const otherwise = node.else === undefined ? () => undefined : compileNode(node.else, valueMap);
      return (input) => {
        const test = condition(input);
        if (typeof test !== 'boolean') throw new NotFast();
        return test ? then(input) : otherwise(input);
      };
    }
    case 'block': {
      // `(a + b) * c`: parentheses around one expression only group it (no variables in the subset).
      const [only, ...rest] = node.expressions ?? [];
      if (only === undefined || rest.length > 0) throw new NotFast();
      return compileNode(only, valueMap);
    }
    case 'function':
      return compileFunction(node, valueMap);
    default:
      throw new NotFast();
  }
}

function compilePath(steps: readonly Node[]): FastFn {
  const plan = steps.map((step) => {
    if (
      step.type !== 'name' ||
      typeof step.value !== 'string' ||
      step.index !== undefined ||
      step.tuple !== undefined
    ) {
      throw new NotFast();
    }
    if (step.focus !== undefined || step.keepArray !== undefined || step.predicate !== undefined)
      throw new NotFast();
    const stages = step.stages ?? [];
    if (stages.length > 1) throw new NotFast();
    let index: number | null = null;
    const stage = stages[0];
    if (stage !== undefined) {
      const expr = stage.expr;
      if (stage.type !== 'filter' || expr?.type !== 'number' || typeof expr.value !== 'number')
        throw new NotFast();
      if (!Number.isInteger(expr.value) || expr.value < 0) throw new NotFast();
      index = expr.value;
    }
    return { name: step.value, index };
  });
  return (input) => {
    if (Array.isArray(input)) notFast();
    // Walk one value while every step yields one value (the everyday `a.b[0].c`): no arrays per
    // step, which is most of the garbage of a bulk mapping. A step that fans out over an array
    // hands over to the general walk below from that step on.
    let single: unknown = input;
    let position = 0;
    for (; position < plan.length; position += 1) {
      const step = plan[position] as (typeof plan)[number];
      if (!isRecord(single)) return undefined;
      const value = single[step.name];
      if (value === undefined) return undefined;
      if (!Array.isArray(value)) {
        if (step.index !== null && step.index !== 0) return undefined;
        single = value;
        continue;
      }
      if (step.index === null) break;
      const picked: unknown = value[step.index];
      if (Array.isArray(picked)) throw new NotFast();
      if (picked === undefined) return undefined;
      single = picked;
    }
    if (position === plan.length) return single;
    let current: unknown[] = [single];
    for (; position < plan.length; position += 1) {
      const step = plan[position] as (typeof plan)[number];
      const last = position === plan.length - 1;
      const next: unknown[] = [];
      for (const item of current) {
        if (!isRecord(item)) continue;
        const value = item[step.name];
        if (value === undefined) continue;
        if (Array.isArray(value)) {
          if (step.index !== null) {
            const picked: unknown = value[step.index];
            if (Array.isArray(picked)) throw new NotFast();
            if (picked !== undefined) next.push(picked);
          } else if (last) {
            throw new NotFast(); // an array at the end: JSONata's sequence rules decide, not us
          } else {
            for (const element of value as unknown[]) {
              if (Array.isArray(element)) throw new NotFast();
              next.push(element);
            }
          }
        } else if (step.index === null || step.index === 0) {
          next.push(value);
        }
      }
      current = next;
    }
    if (current.length > 1) throw new NotFast();
    return current[0];
  };
}

function text(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  throw new NotFast();
}

function compileBinary(node: Node, valueMap: ValueMapFn): FastFn {
  const left = compileNode((node.lhs as Node | undefined) ?? notFast(), valueMap);
  const right = compileNode(node.rhs ?? notFast(), valueMap);
  const op = node.value;
  const numbers = (a: unknown, b: unknown): [number, number] =>
    typeof a === 'number' && typeof b === 'number' ? [a, b] : notFast();
  const finite = (result: number): number => (Number.isFinite(result) ? result : notFast());
  const comparable = (a: unknown, b: unknown): void => {
    if (!(
      (typeof a === 'number' && typeof b === 'number') ||
      (typeof a === 'string' && typeof b === 'string')
    )) {
      throw new NotFast();
    }
  };
  switch (op) {
    case '&':
      return (input) => text(left(input)) + text(right(input));
    case '+':
    case '-':
    case '*':
    case '/':
      return (input) => {
        const [a, b] = numbers(left(input), right(input));
        return finite(op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : a / b);
      };
    case '=':
    case '!=':
      return (input) => {
        const a = left(input);
        const b = right(input);
        if (
          typeof a !== typeof b ||
          (typeof a !== 'string' && typeof a !== 'number' && typeof a !== 'boolean')
        ) {
          throw new NotFast();
        }
        return op === '=' ? a === b : a !== b;
      };
    case '<':
    case '<=':
    case '>':
    case '>=':
      return (input) => {
        const a = left(input) as number | string;
        const b = right(input) as number | string;
        comparable(a, b);
        return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
      };
    case 'and':
    case 'or':
      return (input) => {
        // JSONata stops at a left side that decides (`false and …`): the right side, which may
        // throw (an unmapped code), is then not evaluated at all.
        const a = left(input);
        if (typeof a !== 'boolean') throw new NotFast();
        if (a === (op === 'or')) return a;
        const b = right(input);
        if (typeof b !== 'boolean') throw new NotFast();
        return b;
      };
    default:
      throw new NotFast();
  }
}

function compileUnary(node: Node, valueMap: ValueMapFn): FastFn {
  if (node.value === '-') {
    const operand = compileNode(node.expression ?? notFast(), valueMap);
    return (input) => {
      const value = operand(input);
      return typeof value === 'number' ? -value : notFast();
    };
  }
  if (node.value === '{') {
    const pairs = ((node.lhs as readonly (readonly [Node, Node])[] | undefined) ?? []).map(([key, value]) => {
      if (key.type !== 'string' || typeof key.value !== 'string') throw new NotFast();
      return [key.value, compileNode(value, valueMap)] as const;
    });
    // A key given twice is JSONata's D1009 for every record: leave the whole expression to it.
    if (new Set(pairs.map(([key]) => key)).size !== pairs.length) throw new NotFast();
    const fill = (input: unknown): Record<string, unknown> => {
      const out: Record<string, unknown> = {};
      for (const [key, value] of pairs) {
        const result = value(input);
        if (result !== undefined) out[key] = result;
      }
      return out;
    };
    return pairs.length < 2 ? fill : failuresToJsonata(fill);
  }
  if (node.value === '[') {
    const items = (node.expressions ?? []).map((item) => compileNode(item, valueMap));
    const fill = (input: unknown): unknown[] => {
      const out: unknown[] = [];
      for (const item of items) {
        const result = item(input);
        if (Array.isArray(result)) throw new NotFast();
        if (result !== undefined) out.push(result);
      }
      return out;
    };
    return items.length < 2 ? fill : failuresToJsonata(fill);
  }
  throw new NotFast();
}

/**
 * JSONata evaluates the values of an object or the items of an array side by side (Promise.all):
 * when two fail, which error it reports depends on how deep each one is. A record on which one
 * fails is left to JSONata, so the error reported is always its own (no cost until one fails).
 */
function failuresToJsonata<T>(fill: (input: unknown) => T): (input: unknown) => T {
  return (input) => {
    try {
      return fill(input);
    } catch (error) {
      throw error instanceof NotFast ? error : new NotFast();
    }
  };
}

function compileFunction(node: Node, valueMap: ValueMapFn): FastFn {
  const name = node.procedure?.type === 'variable' ? node.procedure.value : undefined;
  const args = node.arguments ?? [];
  const regexNode = args[1]?.type === 'regex' ? args[1] : undefined;
  const compiled = args.map((arg) => (arg.type === 'regex' ? () => undefined : compileNode(arg, valueMap)));
  const stringOf = (value: unknown): string | undefined =>
    value === undefined ? undefined : typeof value === 'string' ? value : notFast();
  const [a = notFast, b = notFast, c] = compiled;
  switch (name) {
    case 'exists':
      if (args.length !== 1) throw new NotFast();
      return (input) => a(input) !== undefined;
    case 'string':
      if (args.length !== 1) throw new NotFast();
      return (input) => {
        const value = a(input);
        return value === undefined ? undefined : text(value);
      };
    case 'uppercase':
    case 'lowercase':
      if (args.length !== 1) throw new NotFast();
      return (input) => {
        const value = stringOf(a(input));
        return value === undefined
          ? undefined
          : name === 'uppercase'
            ? value.toUpperCase()
            : value.toLowerCase();
      };
    case 'substring':
      if (args.length < 2 || args.length > 3) throw new NotFast();
      return (input) => {
        const value = stringOf(a(input));
        if (value === undefined) return undefined;
        const start = b(input);
        const length = c === undefined ? undefined : c(input);
        if (SURROGATES.test(value) || typeof start !== 'number' || !Number.isInteger(start) || start < 0)
          throw new NotFast();
        if (length === undefined) return value.substring(start);
        if (typeof length !== 'number' || !Number.isInteger(length) || length < 0) throw new NotFast();
        return value.substring(start, start + length);
      };
    case 'substringAfter':
    case 'substringBefore':
      if (args.length !== 2) throw new NotFast();
      return (input) => {
        const value = stringOf(a(input));
        const chars = stringOf(b(input));
        if (value === undefined) return undefined;
        if (chars === undefined) throw new NotFast();
        const at = value.indexOf(chars);
        if (at < 0) return value;
        return name === 'substringAfter' ? value.slice(at + chars.length) : value.slice(0, at);
      };
    case 'replace': {
      if (args.length !== 3 || regexNode === undefined || !(regexNode.value instanceof RegExp))
        throw new NotFast();
      const pattern = new RegExp(regexNode.value.source, `${regexNode.value.flags.replace('g', '')}g`);
      return (input) => {
        const value = stringOf(a(input));
        const replacement = stringOf(c?.(input));
        if (value === undefined) return undefined;
        // `$` substitutions and zero-length matches follow JSONata's own rules: leave those to it.
        if (replacement === undefined || replacement.includes('$')) throw new NotFast();
        for (const match of value.matchAll(pattern)) if (match[0] === '') throw new NotFast();
        return value.replace(pattern, () => replacement);
      };
    }
    case 'valueMap':
      if (args.length !== 2) throw new NotFast();
      return (input) => {
        const map = a(input);
        // JSONata checks the `<sx?:s>` signature before the call: a name that is not text is its
        // type error (T0410), not the engine's unknown-value-map.
        if (typeof map !== 'string') throw new NotFast();
        return valueMap(map, b(input));
      };
    default:
      throw new NotFast();
  }
}
