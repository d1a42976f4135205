import type Database from 'better-sqlite3';
import type { AuditEntry, AuditPage } from '../../../shared/domain/audit.js';
import type { AuditQuery } from '../types.js';

export const MAX_AUDIT_PAGE = 1000;

const COLUMNS = 'seq, at, actor, action, target, outcome, detail, hash';

/**
 * Pages the log newest first. The SQL text is assembled only from the fixed fragments below (one
 * variant per combination of filters, each prepared once); every value is a bound parameter.
 */
export function createAuditLister(db: Database.Database): (query: AuditQuery) => AuditPage {
  const cache = new Map<string, Database.Statement>();
  const statementFor = (before: boolean, action: boolean, actor: boolean): Database.Statement => {
    const key = `${before}${action}${actor}`;
    let statement = cache.get(key);
    if (!statement) {
      const where = [
        before ? 'seq < @before' : '',
        action ? 'action = @action' : '',
        actor ? 'actor = @actor' : '',
      ]
        .filter((part) => part !== '')
        .join(' AND ');
      statement = db.prepare(
        `SELECT ${COLUMNS} FROM audit_log ${where ? `WHERE ${where}` : ''} ORDER BY seq DESC LIMIT @limit`,
      );
      cache.set(key, statement);
    }
    return statement;
  };

  return (query) => {
    const { limit } = query;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_AUDIT_PAGE) {
      throw new RangeError(`limit must be an integer from 1 to ${MAX_AUDIT_PAGE}`);
    }
    if (query.beforeSeq !== undefined && (!Number.isSafeInteger(query.beforeSeq) || query.beforeSeq < 1)) {
      throw new RangeError('beforeSeq must be a positive integer');
    }
    const params: Record<string, string | number> = { limit: limit + 1 };
    if (query.beforeSeq !== undefined) params.before = query.beforeSeq;
    if (query.action !== undefined) params.action = query.action;
    if (query.actor !== undefined) params.actor = query.actor;
    const statement = statementFor(
      query.beforeSeq !== undefined,
      query.action !== undefined,
      query.actor !== undefined,
    );
    // One row more than asked says whether an older page exists without a second query.
    const rows = statement.all(params) as AuditEntry[];
    const entries = rows.slice(0, limit);
    const oldest = entries.at(-1);
    return { entries, nextBeforeSeq: rows.length > limit && oldest ? oldest.seq : null };
  };
}
