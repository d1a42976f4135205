import type Database from 'better-sqlite3';
import type { AuditEntry, AuditPage } from '../../shared/domain/audit.js';
import type { StoreAuditVerification } from './audit/verify-audit-chain.js';

/** What a caller appends; seq, time and hashes are the audit log's own. */
export interface AuditAppend {
  readonly actor: string;
  readonly action: string;
  readonly target: string | null;
  readonly outcome: AuditEntry['outcome'];
  /** Plain JSON data; stored as canonical JSON. Callers strip secrets before this point. */
  readonly detail: unknown;
}

/** What the audit explorer narrows rows by; every field given must hold (AND). */
export interface AuditFilter {
  /** An exact action, or a family: 'exceptions' also matches every 'exceptions.*'. */
  readonly action?: string | undefined;
  readonly actor?: string | undefined;
  /** Rows whose target is one of these (an object's id plus the ids whose names matched). */
  readonly targets?: readonly string[] | undefined;
  readonly outcome?: AuditEntry['outcome'] | undefined;
  /** ISO times bounding `at`: from inclusive, to exclusive. */
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  /** Case-insensitive substring of the action, actor, target or detail. */
  readonly text?: string | undefined;
  /** Successful rows of these actions are left out (page views); denied and failed ones stay. */
  readonly hideOkActions?: readonly string[] | undefined;
}

export interface AuditQuery extends AuditFilter {
  readonly beforeSeq?: number | undefined;
  readonly limit: number;
}

export interface AuditLog {
  append(entry: AuditAppend): AuditEntry;
  /** All rows in one transaction (the engine batches its audit rows this way). */
  appendMany(entries: readonly AuditAppend[]): AuditEntry[];
  list(query: AuditQuery): AuditPage;
  /** Intact, intact with the anchor behind (after a crash), or the first broken row. */
  verify(): StoreAuditVerification;
  onAppend(listener: (entries: readonly AuditEntry[]) => void): () => void;
}

export interface BackupResult {
  readonly path: string;
  readonly bytes: number;
}

export interface Store {
  readonly db: Database.Database;
  readonly path: string;
  readonly dataDir: string;
  readonly audit: AuditLog;
  /** Online backup into <dataDir>/backups/, named with the time and the reason. */
  backup(reason: string): Promise<BackupResult>;
  close(): void;
}
