import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Migration } from './migrations/migration.js';
import type { BackupResult, Store } from './types.js';
import { MIGRATIONS } from './migrations/index.js';
import { planMigrations } from './migrations/migration-plan.js';
import { applyMigrations } from './migrations/apply-migrations.js';
import { backupBeforeMigrating, onlineBackup } from './backup/online-backup.js';
import { anchorPathFor } from './audit/audit-head-anchor.js';
import { settleAnchorAtStart } from './audit/anchor-at-start.js';
import { assertStoreIntact, refuseLostStore } from './integrity/refuse-damaged-store.js';
import { createAuditLog, type AuditLogWarnings } from './audit/sqlite-audit-log.js';
import { BUSY_TIMEOUT_MS, storePathFor } from './store-files.js';
import { createLogger } from '../log/logger.js';

export interface OpenStoreOptions {
  readonly dataDir: string;
  /** The clock for audit rows, backups and migration records; tests pin it. */
  readonly now?: () => Date;
  /** Where non-fatal store problems go (a failed anchor write); defaults to the app's logger. */
  readonly log?: AuditLogWarnings;
  /** The schema registry; only tests of the migration machinery pass their own. */
  readonly migrations?: readonly Migration[];
}

/**
 * Opens (or creates) `<dataDir>/osc.sqlite` and brings it to the newest schema. Refuses — without
 * writing to the file — a damaged store (PRAGMA quick_check), a missing or empty one in a folder that
 * held a store, a store from a newer console or one whose applied migrations were edited; backs up
 * an existing store before migrating it; settles the audit head anchor (repairs one a crash left
 * behind, records a missing or rewound one); never deletes or resets anything to recover.
 */
export function openStore(options: OpenStoreOptions): Store {
  const { dataDir } = options;
  const now = options.now ?? (() => new Date());
  const migrations = options.migrations ?? MIGRATIONS;
  ensurePrivateFolder(dataDir);
  refuseLostStore(dataDir); // before `new Database` creates a file
  const path = storePathFor(dataDir);
  const isNew = !existsSync(path);
  const db = new Database(path);
  try {
    if (isNew) chmodSync(path, 0o600); // SQLite gives its -wal and -shm files the same mode.
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // Read-only checks first: a refused store must not even have its journal mode changed.
    assertStoreIntact(db, dataDir, 'quick');
    const plan = planMigrations(db, migrations, path);
    configureConnection(db);
    if (plan.pending.length > 0) {
      if (plan.currentVersion > 0) {
        const target = migrations.length;
        backupBeforeMigrating(db, dataDir, `pre-migrate-v${plan.currentVersion}-to-v${target}`, now());
      }
      applyMigrations(db, plan.pending, now().toISOString());
    }
    const log = options.log ?? createLogger();
    const anchorPath = anchorPathFor(dataDir);
    const audit = createAuditLog(db, { anchorPath, now, log });
    settleAnchorAtStart(db, audit, anchorPath, log);
    return {
      db,
      path,
      dataDir,
      audit,
      backup: (reason: string): Promise<BackupResult> => onlineBackup(db, dataDir, reason, now()),
      close: () => {
        // A coalesced head anchor is written before the connection goes (coalesced-anchor.ts).
        audit.flushAnchor();
        if (db.open) db.close();
      },
    };
  } catch (error) {
    db.close();
    throw error;
  }
}

function configureConnection(db: Database.Database): void {
  const mode = db.pragma('journal_mode = WAL', { simple: true });
  if (mode !== 'wal') throw new Error(`SQLite refused WAL mode (got ${String(mode)})`);
  // FULL: a committed audit row survives a power cut, which is the point of an audit log.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
}

/** The data dir holds the audit trail and operator hashes: only its owner may list or read it. */
function ensurePrivateFolder(dataDir: string): void {
  const created = mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (created !== undefined) chmodSync(dataDir, 0o700);
}
