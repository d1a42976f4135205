import type { AuditVerification } from '../../shared/domain/audit.js';
import type { BackupResult } from './types.js';
import { openStoreReadOnly } from './open-store-read-only.js';
import { verifyAuditChain } from './audit/verify-audit-chain.js';
import { anchorPathFor } from './audit/audit-head-anchor.js';
import { assertBackupReason } from './backup/backup-location.js';
import { onlineBackup } from './backup/online-backup.js';

/**
 * Whole-store jobs that open their own read-only connection: the store worker and the CLI run these,
 * so the thread serving the window or HTTP never walks the whole log or copies the whole file.
 */
export function verifyAuditAt(dataDir: string): AuditVerification {
  const db = openStoreReadOnly(dataDir);
  try {
    return verifyAuditChain(db, anchorPathFor(dataDir));
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
