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
    const lo = Math.max(period.lo, hi - window + 1);
    const compiled = compileAuditFilter(query, query.action !== undefined && isFamily(query.action));
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
