import type Database from 'better-sqlite3';
import type { AuditFilter } from '../types.js';
import { normalizedInstant } from './audit-time-bounds.js';

export const AUDIT_COLUMNS = 'seq, at, actor, action, target, outcome, detail, hash';

export type AuditSearchParams = Record<string, string | number>;

/** A filter turned into fixed SQL fragments plus bound values; `shape` names which fragments. */
export interface CompiledAuditFilter {
  readonly shape: string;
  readonly where: readonly string[];
  readonly params: AuditSearchParams;
}

/**
 * The WHERE fragments of a search. The SQL text comes only from the fixed fragments below, chosen by
 * which filters are present (the shape); every value is a bound parameter, so each shape is prepared
 * once and nothing typed by an operator ever becomes SQL.
 *
 * Every query also carries `seq BETWEEN @lo AND @hi` (the caller's window or period): with it SQLite
 * walks the primary key over at most that many rows, or, for an exact action or operator, the
 * (action, seq) / (actor, seq) index over that seq range.
 */
export function compileAuditFilter(filter: AuditFilter, actionIsFamily: boolean): CompiledAuditFilter {
  const where: string[] = ['seq >= @lo', 'seq <= @hi'];
  const params: AuditSearchParams = {};
  const shape: string[] = [];
  if (filter.action !== undefined) {
    params.action = filter.action;
    if (actionIsFamily) {
      // 'exceptions' matches 'exceptions' and 'exceptions.*': '/' sorts right after '.', so the range
      // [x., x/) holds exactly the actions that start with 'x.'.
      params.familyLo = `${filter.action}.`;
      params.familyHi = `${filter.action}/`;
      where.push('(action = @action OR (action >= @familyLo AND action < @familyHi))');
      shape.push('family');
    } else {
      where.push('action = @action');
      shape.push('action');
    }
  }
  if (filter.actor !== undefined) {
    params.actor = filter.actor;
    where.push('actor = @actor');
    shape.push('actor');
  }
  if (filter.targets !== undefined) {
    params.targets = JSON.stringify(filter.targets);
    where.push('target IN (SELECT value FROM json_each(@targets))');
    shape.push('targets');
  }
  if (filter.outcome !== undefined) {
    params.outcome = filter.outcome;
    where.push('outcome = @outcome');
    shape.push('outcome');
  }
  if (filter.from !== undefined) {
    params.from = normalizedInstant(filter.from);
    where.push('at >= @from');
    shape.push('from');
  }
  if (filter.to !== undefined) {
    params.to = normalizedInstant(filter.to);
    where.push('at < @to');
    shape.push('to');
  }
  if (filter.text !== undefined && filter.text !== '') {
    params.text = filter.text;
    // instr, not LIKE: the operator's text has no wildcards to escape. Both sides go through SQLite's
    // lower() so they fold the same way. Each column on its own: no match across two columns.
    where.push(
      '(instr(lower(action), lower(@text)) > 0 OR instr(lower(actor), lower(@text)) > 0' +
        " OR instr(lower(coalesce(target, '')), lower(@text)) > 0 OR instr(lower(detail), lower(@text)) > 0)",
    );
    shape.push('text');
  }
  if (filter.hideOkActions !== undefined && filter.hideOkActions.length > 0) {
    params.hideOk = JSON.stringify(filter.hideOkActions);
    where.push("NOT (outcome = 'ok' AND action IN (SELECT value FROM json_each(@hideOk)))");
    shape.push('hideOk');
  }
  return { shape: shape.join(','), where, params };
}

/** Prepares each (purpose, shape) once per connection. */
export function createStatementCache(db: Database.Database) {
  const cache = new Map<string, Database.Statement>();
  return (key: string, sql: () => string): Database.Statement => {
    let statement = cache.get(key);
    if (statement === undefined) {
      statement = db.prepare(sql());
      cache.set(key, statement);
    }
    return statement;
  };
}

/**
 * Whether `action` also names a family of actions in this log: one seek on the (action, seq) index.
 * When it does not, the search is an exact match and SQLite seeks that index instead of the window.
 */
export function createFamilyProbe(db: Database.Database): (action: string) => boolean {
  const probe = db.prepare<[string, string], { one: number }>(
    'SELECT 1 AS one FROM audit_log WHERE action >= ? AND action < ? LIMIT 1',
  );
  return (action) => probe.get(`${action}.`, `${action}/`) !== undefined;
}
