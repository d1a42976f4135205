import type Database from 'better-sqlite3';
import type { AuditEntry } from '../../../shared/domain/audit.js';
import type { AuditLog } from '../../store/types.js';

interface OutboxRow {
  id: number;
  action: string;
  target: string;
  outcome: 'ok' | 'denied' | 'error';
  detail: string;
  /** Set for engine work a person's act started (migration 008); NULL: the engine's own. */
  actor: string | null;
}

/**
 * Moves the engine's owed audit rows into the hash-chained log. The audit log commits in its own
 * transaction (it must, to chain safely), so rows are first written to the outbox in the batch's
 * transaction, appended here, then deleted. A crash between the append and the delete leaves rows
 * that are already in the log: `recover` skips those by their unique target instead of doubling them.
 */
export function createAuditOutbox(db: Database.Database, audit: AuditLog, actor = 'engine') {
  const q = {
    pending: db.prepare<[], OutboxRow>(
      'SELECT id, action, target, outcome, detail, actor FROM engine_audit_outbox ORDER BY id',
    ),
    remove: db.prepare('DELETE FROM engine_audit_outbox WHERE id <= ?'),
    removeOne: db.prepare('DELETE FROM engine_audit_outbox WHERE id = ?'),
    logged: db.prepare<[string, string, string], { seq: number }>(
      'SELECT seq FROM audit_log WHERE action = ? AND target = ? AND actor = ? LIMIT 1',
    ),
  };

  function flush(): AuditEntry[] {
    const rows = q.pending.all();
    const last = rows.at(-1);
    if (last === undefined) return [];
    const written = audit.appendMany(
      rows.map((row) => ({
        actor: row.actor ?? actor,
        action: row.action,
        target: row.target,
        outcome: row.outcome,
        detail: JSON.parse(row.detail) as unknown,
      })),
    );
    q.remove.run(last.id);
    return written;
  }

  /** At start: drop rows that made it into the log before a crash, then flush the rest. */
  function recover(): AuditEntry[] {
    for (const row of q.pending.all()) {
      if (q.logged.get(row.action, row.target, row.actor ?? actor)) q.removeOne.run(row.id);
    }
    return flush();
  }

  return { flush, recover };
}
