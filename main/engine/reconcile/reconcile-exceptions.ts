import type Database from 'better-sqlite3';
import { errorSignature } from '../../../shared/domain/exception-signature.js';
import type { ReconcileDifferenceType } from '../../../shared/domain/flow-reconcile.js';
import { createExceptionIds } from '../store/exception-ids.js';

/**
 * Reconciliation differences in the exceptions inbox (stage `reconcile`). One exception per
 * difference identity (`reconcile:<type>:<key>` as its source id, unique per flow): found again
 * while unsettled, it gains nothing (not opened twice); found again after it was resolved, it opens
 * again; an ignored one stays ignored (a person decided). Its `source_version` holds the day it was
 * found on, so a period back in balance settles exactly its own.
 */

const newExceptionId = createExceptionIds();

/** What kind of fix each type needs (exceptions.class). */
const CLASS: Readonly<Record<ReconcileDifferenceType, 'data' | 'conflict'>> = {
  'missing-in-odoo': 'data',
  'amount-differs': 'data',
  'never-synced': 'data',
  'extra-in-odoo': 'conflict',
  duplicate: 'conflict',
  'changed-in-odoo': 'conflict',
};

const UNSETTLED = ['open', 'retrying', 'dead'];

export interface OpenRequest {
  readonly flowId: string;
  readonly runId: string;
  readonly identity: string;
  readonly type: ReconcileDifferenceType;
  readonly day: string;
  readonly targetKey: string | null;
  readonly message: string;
  readonly at: string;
}

export class ReconcileExceptions {
  private readonly q;

  constructor(db: Database.Database) {
    this.q = {
      find: db.prepare<[string, string], { id: string; state: string }>(
        'SELECT id, state FROM exceptions WHERE flow_id = ? AND source_id = ?',
      ),
      insert: db.prepare(
        `INSERT INTO exceptions (id, flow_id, source_type, source_id, source_version, source_hash, source_payload,
           latest_source_version, latest_source_payload, mapped_payload, target_key, stage, class, error_code,
           error_field, signature, error_message, state, attempts, created_at, updated_at, last_failed_at, last_run_id)
         VALUES (?, ?, 'reconcile', ?, ?, NULL, NULL, ?, NULL, NULL, ?, 'reconcile', ?, ?, ?, ?, ?, 'open', 1, ?, ?, ?, ?)`,
      ),
      reopen: db.prepare(
        `UPDATE exceptions SET state = 'open', attempts = attempts + 1, error_message = ?, updated_at = ?,
           last_failed_at = ?, last_run_id = ?, latest_source_version = ?, resolved_by_run = NULL,
           resolved_by = NULL, resolved_at = NULL, resolution = NULL WHERE id = ?`,
      ),
      attempt: db.prepare(
        `INSERT INTO exception_attempts (exception_id, run_id, at, outcome, stage, error_code, error_message, source_version)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      unsettled: db.prepare<
        [string, string, string],
        { id: string; source_id: string; source_version: string }
      >(
        `SELECT id, source_id, source_version FROM exceptions WHERE flow_id = ? AND stage = 'reconcile'
           AND state IN ('open', 'retrying', 'dead') AND source_version >= ? AND source_version < ?`,
      ),
      resolve: db.prepare(
        `UPDATE exceptions SET state = 'resolved', resolved_by_run = ?, resolved_by = NULL, resolved_at = ?,
           resolution = ?, updated_at = ?, next_attempt_at = NULL WHERE id = ?`,
      ),
    };
  }

  /** Opens (or reopens) the difference's exception; answers its id and whether it is news. */
  open(request: OpenRequest): { exceptionId: string; isNew: boolean } {
    const sourceId = `reconcile:${request.identity}`;
    const code = `reconcile.${request.type}`;
    const existing = this.q.find.get(request.flowId, sourceId);
    if (existing !== undefined) {
      if (UNSETTLED.includes(existing.state) || existing.state === 'ignored')
        return { exceptionId: existing.id, isNew: false };
      this.q.reopen.run(request.message, request.at, request.at, request.runId, request.day, existing.id);
      this.q.attempt.run(
        existing.id,
        request.runId,
        request.at,
        'failed',
        'reconcile',
        code,
        request.message,
        request.day,
      );
      return { exceptionId: existing.id, isNew: true };
    }
    const id = newExceptionId();
    const signature = errorSignature(code, request.message);
    this.q.insert.run(
      id,
      request.flowId,
      sourceId,
      request.day,
      request.day,
      request.targetKey,
      CLASS[request.type],
      code,
      signature.field,
      signature.signature,
      request.message.slice(0, 4000),
      request.at,
      request.at,
      request.at,
      request.runId,
    );
    this.q.attempt.run(
      id,
      request.runId,
      request.at,
      'failed',
      'reconcile',
      code,
      request.message,
      request.day,
    );
    return { exceptionId: id, isNew: true };
  }

  /**
   * Settles the flow's unsettled reconcile exceptions of the days in [from, to) that this run did
   * not find again: their period is back in balance (or that difference is gone). Answers their ids.
   */
  settle(
    flowId: string,
    runId: string,
    from: string,
    to: string,
    found: ReadonlySet<string>,
    at: string,
  ): string[] {
    const settled: string[] = [];
    for (const row of this.q.unsettled.all(flowId, from, to)) {
      if (found.has(row.source_id.slice('reconcile:'.length))) continue;
      this.q.resolve.run(
        runId,
        at,
        `Resolved by reconciliation ${runId}: Odoo and the console agree on this again.`,
        at,
        row.id,
      );
      this.q.attempt.run(row.id, runId, at, 'succeeded', null, null, null, row.source_version);
      settled.push(row.id);
    }
    return settled;
  }
}
