import type Database from 'better-sqlite3';
import type { AuditEntry, AuditPage } from '../../../shared/domain/audit.js';
import type { AuditAppend, AuditLog, AuditQuery } from '../types.js';
import { StoreError } from '../store-errors.js';
import { auditRowHash } from './audit-hash.js';
import { readChainHead } from './audit-chain-head.js';
import { createAnchorWriter } from './coalesced-anchor.js';
import { createAuditLister } from './audit-list-query.js';
import { prepareAuditAppend, type PreparedAuditAppend } from './prepare-audit-append.js';
import { verifyAuditChain, type StoreAuditVerification } from './verify-audit-chain.js';

/** Where the audit log reports problems it must not throw to its caller (the row is already safe). */
export interface AuditLogWarnings {
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface AuditLogOptions {
  readonly anchorPath: string;
  /** How long the head anchor may trail the log (coalesced-anchor.ts); tests pin it. */
  readonly anchorMaxLagMs?: number;
  readonly now: () => Date;
  readonly log: AuditLogWarnings;
}

/** The audit log of one connection, plus the flush its store calls before closing. */
export interface ConnectionAuditLog extends AuditLog {
  /** Writes a head anchor the coalescing still holds back (see coalesced-anchor.ts). */
  flushAnchor(): void;
}

/**
 * The append-only, hash-chained audit log on one connection. The chain head is read inside the
 * write transaction (BEGIN IMMEDIATE) rather than cached, so another connection appending to the
 * same file (the engine worker) can never fork the chain.
 */
export function createAuditLog(db: Database.Database, options: AuditLogOptions): ConnectionAuditLog {
  // Positional parameters: binding nine named ones per row cost more than the insert itself.
  const insert = db.prepare<[number, string, string, string, string | null, string, string, string, string]>(
    `INSERT INTO audit_log (seq, at, actor, action, target, outcome, detail, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const anchor = createAnchorWriter({
    path: options.anchorPath,
    ...(options.anchorMaxLagMs === undefined ? {} : { maxLagMs: options.anchorMaxLagMs }),
    onError: (error, head) => {
      // The rows are committed and chained; only the tail-truncation check is behind. Verify reports
      // it as "anchor behind", and the next successful write catches the anchor up.
      options.log.warn(
        { err: error.message, seq: head.seq },
        'audit head anchor could not be written; verify will report the anchor as behind',
      );
    },
  });
  const listeners = new Set<(entries: readonly AuditEntry[]) => void>();
  const list = createAuditLister(db);

  const writeChained = db.transaction((prepared: readonly PreparedAuditAppend[]): AuditEntry[] => {
    let head = readChainHead(db);
    const written: AuditEntry[] = [];
    for (const entry of prepared) {
      const seq = head.seq + 1;
      const at = options.now().toISOString();
      const { actor, action, target, outcome, detail } = entry;
      const hash = auditRowHash(head.hash, { seq, at, actor, action, target, outcome, detail });
      insert.run(seq, at, actor, action, target, outcome, detail, head.hash, hash);
      written.push({ seq, at, actor, action, target, outcome, detail, hash });
      head = { seq, hash };
    }
    return written;
  });

  function appendMany(entries: readonly AuditAppend[]): AuditEntry[] {
    const prepared = entries.map(prepareAuditAppend);
    if (prepared.length === 0) return [];
    if (db.inTransaction) {
      // Inside a caller's transaction there is no way to know whether (or when) these rows commit,
      // so the head anchor and the listeners could announce rows that are later rolled back.
      throw new StoreError(
        'audit-in-transaction',
        'Append audit rows outside any open transaction: appendMany commits them in its own transaction.',
      );
    }
    const written = writeChained.immediate(prepared);
    afterCommit(written);
    return written;
  }

  function afterCommit(written: readonly AuditEntry[]): void {
    const last = written.at(-1);
    if (last === undefined) return;
    anchor.committed({ seq: last.seq, hash: last.hash });
    for (const listener of listeners) {
      try {
        listener(written);
      } catch (error) {
        options.log.warn({ err: (error as Error).message }, 'an audit onAppend listener threw');
      }
    }
  }

  return {
    append(entry: AuditAppend): AuditEntry {
      const [written] = appendMany([entry]);
      if (written === undefined) throw new Error('unreachable: one entry in, none out');
      return written;
    },
    appendMany,
    list(query: AuditQuery): AuditPage {
      return list(query);
    },
    verify(): StoreAuditVerification {
      // This connection's own commits are anchored before checking, so a coalesced (not yet
      // written) anchor never hides a tail cut made since.
      anchor.flush();
      return verifyAuditChain(db, options.anchorPath);
    },
    flushAnchor: () => anchor.flush(),
    onAppend(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
