import type Database from 'better-sqlite3';
import { migration017AuditCheckpoints } from '../../../main/store/migrations/017-audit-checkpoints.js';
import { MIGRATIONS } from '../../../main/store/migrations/index.js';

/**
 * Migration 017 can only be listed once 016 (reserved for another change of issue 13) is: the list
 * must have no gaps. Until then the tests create the table from 017's own SQL; once 017 is listed,
 * openStore has created it and this does nothing.
 */
export function ensureCheckpointTable(db: Database.Database): void {
  if (MIGRATIONS.some((migration) => migration.version === 17)) return;
  const exists = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_checkpoints'")
    .get();
  if (exists === undefined) db.exec(migration017AuditCheckpoints.sql);
}
