import jsonata from 'jsonata';
import type { MappingSpec, RuleResult, ValidationRule } from '../../../shared/domain/mapping.js';
import { compileFast, NotFast, type FastFn } from './fast-path.js';
import { MappingCompileError, MappingEvalError } from './mapping-errors.js';

/**
 * Turns a mapping spec into ONE JSONata expression, compiled once per mapping version and evaluated
 * once per record: one evaluation of a 10-field object costs ≈ 28 µs, so one evaluation per field
 * or per rule would multiply the engine's cost by the number of fields.
 *
 * Every piece is first compiled on its own, so an operator learns which field or rule is wrong, and
 * so a piece cannot break out of its parentheses in the combined expression.
 */
export interface MapOutcome {
  readonly key: string;
  readonly payload: Record<string, unknown>;
  /** The payload as JSON, made once: hashed, stored with failures, and compared between runs. */
  readonly payloadJson: string;
  readonly rules: readonly RuleResult[];
  /** True when a rule of severity 'error' failed. */
  readonly rejected: boolean;
}

export interface CompiledMapping {
  map(record: unknown): Promise<MapOutcome>;
}

/** Limits for a single evaluation: enough for real mappings, fatal for an accidental infinite loop. */
const EVAL_TIMEOUT_MS = 2000;
const EVAL_MAX_DEPTH = 500;

export function checkExpression(expression: string, where: string): void {
  try {
    jsonata(expression);
  } catch (error) {
    throw new MappingCompileError(where, jsonataMessage(error));
  }
}

export interface CompileOptions {
  /** Evaluation time and depth limits (previews of unreviewed drafts). */
  readonly guarded?: boolean;
  /** The JS fast path (on by default; tests turn it off to compare against JSONata itself). */
  readonly fast?: boolean;
}

export function compileMapping(spec: MappingSpec, options: CompileOptions = {}): CompiledMapping {
  const guarded = options.guarded ?? false;
  checkExpression(spec.key, 'key');
  for (const field of spec.fields) checkExpression(field.expression, `field ${field.target}`);
  for (const reference of spec.references)
    checkExpression(reference.expression, `reference ${reference.field}`);
  for (const rule of spec.rules) checkExpression(rule.expression, `rule ${rule.id}`);

  const targetParts = [
    ...spec.fields.map((field) => `${JSON.stringify(field.target)}: (${field.expression})`),
    ...spec.references.map((ref) => `${JSON.stringify(`${ref.field}/id`)}: (${ref.expression})`),
  ];
  const ruleParts = spec.rules.map(
    (rule, index) => `${JSON.stringify(`r${index}`)}: (${rule.expression}) ? true : false`,
  );
  const source = `(
    $target := {${targetParts.join(', ')}};
    { "key": (${spec.key}), "target": $target, "rules": {${ruleParts.join(', ')}} }
  )`;
  let expression: jsonata.Expression;
  try {
    expression = jsonata(source, guarded ? { timeout: EVAL_TIMEOUT_MS, stack: EVAL_MAX_DEPTH } : {});
  } catch (error) {
    throw new MappingCompileError('mapping', jsonataMessage(error));
  }
  const valueMaps = spec.valueMaps;
  const valueMap = (name: unknown, code: unknown): string | undefined => {
    if (typeof name !== 'string' || !Object.hasOwn(valueMaps, name)) {
      throw new MappingEvalError(
        'mapping.unknown-value-map',
        `There is no value map named "${String(name)}".`,
      );
    }
    const table = valueMaps[name];
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
    throw new MappingEvalError(
      'mapping.unmapped-code',
      `Value map "${name}" has no entry for code "${key}".`,
    );
  };
  expression.registerFunction('valueMap', valueMap, '<sx?:s>');
  const fast = options.fast === false ? null : compileFastMapping(spec, valueMap);
  return {
    async map(record: unknown): Promise<MapOutcome> {
      let raw: unknown;
      try {
        raw = fast === null ? await expression.evaluate(record) : await fastOrFull(fast, expression, record);
      } catch (error) {
        if (error instanceof MappingEvalError) throw error;
        throw new MappingEvalError('mapping.expression-failed', jsonataMessage(error));
      }
      return readOutcome(raw, spec.rules);
    },
  };
}

/** Every piece on the fast path, or null: one piece outside the subset sends the mapping to JSONata. */
function compileFastMapping(
  spec: MappingSpec,
  valueMap: (name: unknown, code: unknown) => unknown,
): FastFn | null {
  const key = compileFast(spec.key, valueMap);
  const fields = spec.fields.map((field) => [field.target, compileFast(field.expression, valueMap)] as const);
  const references = spec.references.map(
    (ref) => [`${ref.field}/id`, compileFast(ref.expression, valueMap)] as const,
  );
  const rules = spec.rules.map(
    (rule, index) => [`r${index}`, compileFast(rule.expression, valueMap)] as const,
  );
  const parts = [...fields, ...references];
  if (key === null || [...parts, ...rules].some(([, fn]) => fn === null)) return null;
  return (input) => {
    const target: Record<string, unknown> = {};
    for (const [name, fn] of parts) {
      const value = fn?.(input);
      if (value !== undefined) target[name] = value;
    }
    const ruleValues: Record<string, boolean> = {};
    for (const [name, fn] of rules) {
      const value = fn?.(input);
      // `(rule) ? true : false` in JSONata: anything but a boolean or nothing is JSONata's to judge.
      if (value !== undefined && typeof value !== 'boolean') throw new NotFast();
      ruleValues[name] = value === true;
    }
    return { key: key(input), target, rules: ruleValues };
  };
}

async function fastOrFull(fast: FastFn, expression: jsonata.Expression, record: unknown): Promise<unknown> {
  try {
    return fast(record);
  } catch (error) {
    if (error instanceof NotFast) return (await expression.evaluate(record)) as unknown;
    throw error;
  }
}

function readOutcome(raw: unknown, rules: readonly ValidationRule[]): MapOutcome {
  const result = (raw ?? {}) as { key?: unknown; target?: unknown; rules?: Record<string, unknown> };
  const key = result.key;
  if (typeof key !== 'string' && typeof key !== 'number') {
    throw new MappingEvalError('mapping.no-key', 'The key expression gave no text for this record.');
  }
  const keyText = String(key);
  if (keyText === '' || keyText.length > 512) {
    throw new MappingEvalError('mapping.bad-key', 'The key must be 1–512 characters.');
  }
  const target = result.target;
  // JSONata marks result arrays with extra properties; JSON drops them, and JSON is all that is kept
  // or sent, so the payload is used as is rather than deep-copied per record.
  const payload =
    target !== null && typeof target === 'object' && !Array.isArray(target)
      ? (target as Record<string, unknown>)
      : {};
  const ruleValues = result.rules ?? {};
  let rejected = false;
  const ruleResults = rules.map((rule, index): RuleResult => {
    const passed = ruleValues[`r${index}`] === true;
    if (!passed && rule.severity === 'error') rejected = true;
    return { id: rule.id, severity: rule.severity, passed, message: rule.message };
  });
  return { key: keyText, payload, payloadJson: JSON.stringify(payload), rules: ruleResults, rejected };
}

function jsonataMessage(error: unknown): string {
  if (error !== null && typeof error === 'object') {
    const { message, position } = error as { message?: unknown; position?: unknown };
    const text = typeof message === 'string' ? message : 'invalid expression';
    return typeof position === 'number' ? `${text} (at character ${position})` : text;
  }
  return String(error);
}
