import type Database from 'better-sqlite3';
import type { AuditEntry, AuditOutcome } from '../../../shared/domain/audit.js';
import type { AuditFilter } from '../types.js';
import {
  AUDIT_COLUMNS,
  compileAuditFilter,
  createFamilyProbe,
  createStatementCache,
} from './audit-search-sql.js';
import { auditSeqRange } from './audit-time-bounds.js';
import { openStoreReadOnly } from '../open-store-read-only.js';

export interface AuditPeriodSummary {
  readonly totalRows: number;
  readonly byOutcome: Record<AuditOutcome, number>;
  readonly topActions: { action: string; count: number }[];
  /** The first `maxRows` matching rows, oldest first. */
  readonly entries: AuditEntry[];
  readonly truncated: boolean;
}

const TOP_ACTIONS = 10;

/**
 * Counts and first rows of a period for the printable report. The period's seq bounds (binary
 * search) limit every query to the rows of that period, and the counts are one aggregate query:
 * a year of a busy log is one pass over its rows, not one query per row or per day.
 */
export function createAuditPeriodSummary(
  db: Database.Database,
): (filter: AuditFilter, maxRows: number) => AuditPeriodSummary {
  const statements = createStatementCache(db);
  const isFamily = createFamilyProbe(db);

  return (filter, maxRows) => {
    const range = auditSeqRange(db, filter);
    const compiled = compileAuditFilter(filter, filter.action !== undefined && isFamily(filter.action));
    const where = compiled.where.join(' AND ');
    const params = { ...compiled.params, lo: range.lo, hi: range.hi };
    // One pass over the period: counts per (action, outcome), folded here into both figures.
    const counts = statements(
      `counts:${compiled.shape}`,
      () => `SELECT action, outcome, count(*) AS n FROM audit_log WHERE ${where} GROUP BY action, outcome`,
    ).all(params) as { action: string; outcome: AuditOutcome; n: number }[];
    const byOutcome: Record<AuditOutcome, number> = { ok: 0, denied: 0, error: 0 };
    const byAction = new Map<string, number>();
    for (const row of counts) {
      byOutcome[row.outcome] += row.n;
      byAction.set(row.action, (byAction.get(row.action) ?? 0) + row.n);
    }
    const totalRows = byOutcome.ok + byOutcome.denied + byOutcome.error;
    const topActions = [...byAction]
      .map(([action, count]) => ({ action, count }))
      .sort((a, b) => b.count - a.count || (a.action < b.action ? -1 : 1))
      .slice(0, TOP_ACTIONS);
    const entries = statements(
      `first:${compiled.shape}`,
      () => `SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE ${where} ORDER BY seq ASC LIMIT @limit`,
    ).all({ ...params, limit: maxRows }) as AuditEntry[];
    return { totalRows, byOutcome, topActions, entries, truncated: totalRows > entries.length };
  };
}

/**
 * The summary on its own read-only connection: the store worker runs it, so a report over a year of
 * a busy log (seconds of counting) never stalls the thread serving the window or the HTTP API.
 */
export function auditSummaryAt(dataDir: string, filter: AuditFilter, maxRows: number): AuditPeriodSummary {
  const db = openStoreReadOnly(dataDir);
  try {
    return createAuditPeriodSummary(db)(filter, maxRows);
  } finally {
    db.close();
  }
}
