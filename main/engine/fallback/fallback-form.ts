import type Database from 'better-sqlite3';
import type { FallbackField, FallbackForm } from '../../../shared/domain/fallback.js';
import type { Flow } from '../../../shared/domain/flow.js';
import type { FlowFallback } from '../../../shared/domain/flow-fallback.js';
import type { MappingSpec } from '../../../shared/domain/mapping.js';

/** A flow's fallback settings as the engine uses them: its own, or derived from its mapping. */
export interface FallbackSettings extends FlowFallback {
  /** True when the flow has no settings and the form was derived from the mapping's plain paths. */
  readonly derived: boolean;
}

/** The longest form field name the contract takes (fallback.enter's `values` keys). */
const MAX_FIELD_NAME = 80;
const JSONATA_WORDS = new Set(['true', 'false', 'null', 'and', 'or', 'in']);
/** `a.b[0].c`: names, each optionally followed by one list position. */
const PLAIN_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\[[0-9]{1,3}\])?(\.[A-Za-z_][A-Za-z0-9_]*(\[[0-9]{1,3}\])?)*$/;
/** `$exists(a.b)`, `$string(a.b)`: a one-argument function of a plain path reads that path. */
const FUNCTION_OF_PATH = /^\$[A-Za-z]+\(\s*([^()\s,]+)\s*\)$/;

/** The dot path an expression reads when it is a plain path (`coding[0].code` → `coding.0.code`). */
export function plainPathOf(expression: string): string | null {
  const text = expression.trim();
  const inner = FUNCTION_OF_PATH.exec(text)?.[1] ?? text;
  if (!PLAIN_PATH.test(inner) || JSONATA_WORDS.has(inner)) return null;
  const path = inner.replace(/\[([0-9]+)\]/g, '.$1');
  // `id` holds the provisional id of an entry: never a form field.
  if (path === 'id' || path.startsWith('id.')) return null;
  return path.length <= MAX_FIELD_NAME ? path : null;
}

function overlaps(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}

/**
 * The form of a flow without fallback settings: one optional text field per plain source path its
 * mapping reads (fields, references, rules, in that order), named by the path itself. Expressions
 * that compute (joins, filters, value maps) give no field: the operator cannot type their inputs in
 * a meaningful place, so a flow that needs them gets explicit settings.
 */
export function derivedFields(spec: MappingSpec): FallbackField[] {
  const expressions = [
    ...spec.fields.map((field) => field.expression),
    ...spec.references.map((reference) => reference.expression),
    ...spec.rules.map((rule) => rule.expression),
  ];
  const found: { path: string; written: string }[] = [];
  for (const expression of expressions) {
    const path = plainPathOf(expression);
    if (path !== null && !found.some((other) => overlaps(other.path, path)))
      found.push({ path, written: pathTextOf(expression) });
  }
  return found.map(({ path, written }) => ({
    name: path,
    label: path,
    type: comparedAsNumber(written, expressions) ? 'number' : 'text',
    required: false,
    path,
  }));
}

/** The path as the expression writes it (`coding[0].code`), inside a function call or not. */
function pathTextOf(expression: string): string {
  const text = expression.trim();
  return FUNCTION_OF_PATH.exec(text)?.[1] ?? text;
}

/**
 * Whether some expression compares the path with or computes on it as a number (`qty > 0`,
 * `price * 2`): then the derived field is a number, since a text value would break that rule.
 */
function comparedAsNumber(written: string, expressions: readonly string[]): boolean {
  const path = written.replace(/[.[\]]/g, (char) => `\\${char}`);
  const operator = String.raw`(<=|>=|<|>|\+|\*|\/|-(?!>))`;
  const after = new RegExp(String.raw`(^|[^\w.$])${path}\s*${operator}`);
  const before = new RegExp(String.raw`${operator}\s*${path}($|[^\w.\[])`);
  return expressions.some((expression) => after.test(expression) || before.test(expression));
}

export function fallbackSettingsOf(flow: Flow, spec: MappingSpec): FallbackSettings {
  if (flow.fallback !== undefined) return { ...flow.fallback, derived: false };
  return { fields: derivedFields(spec), matchKeys: [], roles: [], constants: [], derived: true };
}

/** The source record type an entry stands in for (FHIR resource type, Odoo model, or 'record'). */
export function sourceTypeOf(flow: Flow): string {
  for (const name of ['resourceType', 'model', 'type']) {
    const value = flow.sourceSelector[name];
    if (typeof value === 'string' && value !== '') return value;
  }
  return 'record';
}

/**
 * Whether the connection takes writes now: not switched to degraded mode and its breaker not open
 * (migrations 010 and 011). Read straight from the store, so the serving side can answer a form
 * without asking the engine.
 */
export function targetTakesWrites(db: Database.Database, connectionId: string): boolean {
  const degraded = db.prepare('SELECT 1 FROM connection_degraded WHERE connection_id = ?').get(connectionId);
  if (degraded !== undefined) return false;
  const breaker = db
    .prepare<[string], { state: string }>('SELECT state FROM connection_breakers WHERE connection_id = ?')
    .get(connectionId);
  return breaker === undefined || breaker.state === 'closed';
}

function noticeOf(settings: FallbackSettings): string | undefined {
  if (settings.derived)
    return (
      "This form was derived from the flow's mapping (no fallback settings): every field is optional text " +
      "and there are no match keys, so entries are NOT matched to the source system's own events when it " +
      'is back. Ask IT staff to give the flow fallback settings before relying on it.'
    );
  if (settings.matchKeys.length === 0)
    return "The flow has no match keys: entries are NOT matched to the source system's own events when it is back.";
  return undefined;
}

export function fallbackFormOf(flow: Flow, settings: FallbackSettings, targetUp: boolean): FallbackForm {
  const notice = noticeOf(settings);
  return {
    flowId: flow.id,
    flowName: flow.name,
    sourceType: sourceTypeOf(flow),
    fields: settings.fields,
    matchKeys: settings.matchKeys,
    roles: ['administrator', ...settings.roles.filter((role) => role !== 'administrator')],
    targetUp,
    ...(notice === undefined ? {} : { notice }),
  };
}
