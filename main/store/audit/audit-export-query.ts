import type Database from 'better-sqlite3';
import type { AuditEntry } from '../../../shared/domain/audit.js';
import type { AuditFilter } from '../types.js';
import { AUDIT_SEARCH_WINDOW } from './audit-list-query.js';
import {
  AUDIT_COLUMNS,
  compileAuditFilter,
  createFamilyProbe,
  createStatementCache,
} from './audit-search-sql.js';
import { auditSeqRange } from './audit-time-bounds.js';

/** Rows per export chunk: a few hundred kilobytes of CSV, one quick call. */
export const AUDIT_EXPORT_CHUNK_ROWS = 2000;

export interface AuditExportChunkRows {
  /** Oldest first. */
  readonly entries: readonly AuditEntry[];
  /** Continue after this seq; null when the period is exhausted. */
  readonly nextAfterSeq: number | null;
}

export interface AuditExportReaderOptions {
  readonly window?: number;
  readonly chunkRows?: number;
}

/**
 * Reads the matching rows of a period oldest first, one chunk per call, reading at most one window
 * of rows (by seq) per call like the explorer's search. The cursor is the last seq handed out (or the
 * end of the window searched), so consecutive chunks neither skip nor repeat a row.
 */
export function createAuditExportReader(
  db: Database.Database,
  options: AuditExportReaderOptions = {},
): (filter: AuditFilter & { readonly afterSeq?: number | undefined }) => AuditExportChunkRows {
  const window = options.window ?? AUDIT_SEARCH_WINDOW;
  const chunkRows = options.chunkRows ?? AUDIT_EXPORT_CHUNK_ROWS;
  const statements = createStatementCache(db);
  const isFamily = createFamilyProbe(db);

  return (filter) => {
    const period = auditSeqRange(db, filter);
    const lo = Math.max(period.lo, (filter.afterSeq ?? 0) + 1);
    if (lo > period.hi) return { entries: [], nextAfterSeq: null };
    const hi = Math.min(period.hi, lo + window - 1);
    const compiled = compileAuditFilter(filter, filter.action !== undefined && isFamily(filter.action));
    const statement = statements(
      `export:${compiled.shape}`,
      () =>
        `SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE ${compiled.where.join(' AND ')} ORDER BY seq ASC LIMIT @limit`,
    );
    const rows = statement.all({ ...compiled.params, lo, hi, limit: chunkRows + 1 }) as AuditEntry[];
    const last = rows[chunkRows - 1];
    if (rows.length > chunkRows && last !== undefined) {
      return { entries: rows.slice(0, chunkRows), nextAfterSeq: last.seq };
    }
    return { entries: rows, nextAfterSeq: hi < period.hi ? hi : null };
  };
}
