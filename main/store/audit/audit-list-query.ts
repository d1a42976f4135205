import type Database from 'better-sqlite3';
import type { AuditEntry, AuditPage } from '../../../shared/domain/audit.js';
import type { AuditQuery } from '../types.js';
import {
  AUDIT_COLUMNS,
  compileAuditFilter,
  createFamilyProbe,
  createStatementCache,
} from './audit-search-sql.js';
import { auditSeqRange } from './audit-time-bounds.js';

export const MAX_AUDIT_PAGE = 1000;

/**
 * The most rows one search call reads (by seq, on the primary key). A search whose filters match
 * rarely would otherwise walk a 10-million-row log in one call and stall the serving thread; instead
 * it answers what it found in the window plus where to continue (`nextBeforeSeq`).
 */
export const AUDIT_SEARCH_WINDOW = 50_000;

export interface AuditListerOptions {
  /** Tests shrink it to show the continuation on a small log. */
  readonly window?: number;
}

/** Pages the log newest first, searching at most one window of rows per call. */
export function createAuditLister(
  db: Database.Database,
  options: AuditListerOptions = {},
): (query: AuditQuery) => AuditPage {
  const window = options.window ?? AUDIT_SEARCH_WINDOW;
  const statements = createStatementCache(db);
  const isFamily = createFamilyProbe(db);
  const nthBelow = {
    action: db.prepare<[string, number, number, number], { seq: number }>(
      'SELECT seq FROM audit_log WHERE action = ? AND seq >= ? AND seq <= ? ORDER BY seq DESC LIMIT 1 OFFSET ?',
    ),
    actor: db.prepare<[string, number, number, number], { seq: number }>(
      'SELECT seq FROM audit_log WHERE actor = ? AND seq >= ? AND seq <= ? ORDER BY seq DESC LIMIT 1 OFFSET ?',
    ),
  };

  /**
   * The lowest seq this call may read. With an exact action or operator the window counts that
   * index's entries, not log rows: the (action, seq) / (actor, seq) index reaches the window's start
   * in one index-only walk, so a rare action is found across a 10-million-row log in one call
   * instead of two hundred "Search older rows". Otherwise it is `window` rows of the log.
   */
  function windowStart(query: AuditQuery, family: boolean, lo: number, hi: number): number {
    const keyed =
      query.action !== undefined && !family
        ? nthBelow.action.get(query.action, lo, hi, window - 1)
        : query.actor !== undefined
          ? nthBelow.actor.get(query.actor, lo, hi, window - 1)
          : null;
    if (keyed === null) return hi - window + 1;
    // Fewer than `window` such rows in the range: the whole range is one window.
    return keyed?.seq ?? lo;
  }

  return (query) => {
    const { limit } = query;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_AUDIT_PAGE) {
      throw new RangeError(`limit must be an integer from 1 to ${MAX_AUDIT_PAGE}`);
    }
    if (query.beforeSeq !== undefined && (!Number.isSafeInteger(query.beforeSeq) || query.beforeSeq < 1)) {
      throw new RangeError('beforeSeq must be a positive integer');
    }
    const period = auditSeqRange(db, query);
    const hi = Math.min(period.hi, (query.beforeSeq ?? Number.MAX_SAFE_INTEGER) - 1);
    if (hi < period.lo) return { entries: [], nextBeforeSeq: null, searchedDownToSeq: null };
    const family = query.action !== undefined && isFamily(query.action);
    const lo = Math.max(period.lo, windowStart(query, family, period.lo, hi));
    const compiled = compileAuditFilter(query, family);
    const statement = statements(
      `list:${compiled.shape}`,
      () =>
        `SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE ${compiled.where.join(' AND ')} ORDER BY seq DESC LIMIT @limit`,
    );
    // One row more than asked says whether an older match exists without a second query.
    const rows = statement.all({ ...compiled.params, lo, hi, limit: limit + 1 }) as AuditEntry[];
    const oldest = rows[limit - 1];
    if (rows.length > limit && oldest !== undefined) {
      return { entries: rows.slice(0, limit), nextBeforeSeq: oldest.seq, searchedDownToSeq: oldest.seq };
    }
    // The page did not fill: either the window ran out before the period's start (continue below
    // it) or everything down to the start was searched.
    return { entries: rows, nextBeforeSeq: lo > period.lo ? lo : null, searchedDownToSeq: lo };
  };
}
