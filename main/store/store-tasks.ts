import type { BackupResult } from './types.js';
import { openStoreReadOnly } from './open-store-read-only.js';
import {
  verifyAuditChain,
  type StoreAuditVerification,
  type VerifyOptions,
} from './audit/verify-audit-chain.js';
import { anchorPathFor } from './audit/audit-head-anchor.js';
import { assertBackupReason } from './backup/backup-location.js';
import { onlineBackup } from './backup/online-backup.js';
import { checkIntegrity, type IntegrityMode, type IntegrityReport } from './integrity/integrity-check.js';
import { assertStoreIntact } from './integrity/refuse-damaged-store.js';

/**
 * Whole-store jobs that open their own read-only connection: the store worker and the CLI run these,
 * so the thread serving the window or HTTP never walks the whole log or copies the whole file.
 */

/**
 * Walks the audit chain after a quick_check: a chain read from damaged pages proves nothing, so a
 * damaged store throws StoreDamagedError (naming the newest backup) instead of answering "OK".
 */
export function verifyAuditAt(dataDir: string, options: VerifyOptions = {}): StoreAuditVerification {
  const db = openStoreReadOnly(dataDir);
  try {
    assertStoreIntact(db, dataDir, 'quick');
    return verifyAuditChain(db, anchorPathFor(dataDir), options);
  } finally {
    db.close();
  }
}

/** SQLite's own check of the whole file, on its own connection (for `osc verify-store` and the schedule). */
export function checkIntegrityAt(dataDir: string, mode: IntegrityMode): IntegrityReport {
  const db = openStoreReadOnly(dataDir);
  try {
    return checkIntegrity(db, mode);
  } finally {
    db.close();
  }
}

export async function backupStoreAt(
  dataDir: string,
  reason: string,
  at: Date = new Date(),
): Promise<BackupResult> {
  assertBackupReason(reason); // before opening anything
  const db = openStoreReadOnly(dataDir);
  try {
    return await onlineBackup(db, dataDir, reason, at);
  } finally {
    db.close();
  }
}
