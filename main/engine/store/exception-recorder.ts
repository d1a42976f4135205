import type Database from 'better-sqlite3';
import { clipPayload, MAX_FAILURE_PAYLOAD_CHARS, MAX_REPLAYABLE_PAYLOAD_CHARS } from './stored-payload.js';
import { errorSignature } from '../../../shared/domain/exception-signature.js';
import type { FailedRecord, LoadedRecord, RunContext, SourceRef } from './batch-commit.js';
import { exceptionClassOf } from './exception-class.js';
import { createExceptionIds } from './exception-ids.js';
import { DEFAULT_AUTO_RETRY, retryDelayMs, type AutoRetryPolicy } from './retry-policy.js';

const MAX_MESSAGE_CHARS = 4000;

/**
 * The target's own words without a Python traceback (connectors already drop them; this is the
 * last guard before text reaches the inbox, which finance users read).
 */
export function sanitisedMessage(message: string): string {
  const cut = message.search(/Traceback \(most recent call last\)/);
  const text = (cut === -1 ? message : message.slice(0, cut)).trim();
  return (text === '' ? message.trim() : text).slice(0, MAX_MESSAGE_CHARS);
}

/** Time-ordered (exception-ids.ts): one batch's exceptions share index pages. */
const newExceptionId = createExceptionIds();

/**
 * The engine's side of exceptions, run INSIDE the batch transaction (createBatchCommitter): a failed
 * record opens its exception or adds an attempt to it (reopening a resolved one), a loaded record
 * resolves its unsettled exception naming the run. Successes cost one indexed query per batch, so a
 * bulk sync without exceptions pays almost nothing.
 */
export function createExceptionRecorder(
  db: Database.Database,
  policy: AutoRetryPolicy | ((flowId: string) => AutoRetryPolicy) = DEFAULT_AUTO_RETRY,
) {
  // A flow may carry its own limit and delays (flow-retry-policy.ts); a plain policy holds for all.
  const policyOf = typeof policy === 'function' ? policy : () => policy;
  const q = {
    unsettled: db.prepare<[string, string], { id: string; source_id: string }>(
      `SELECT id, source_id FROM exceptions WHERE flow_id = ? AND state <> 'resolved'
         AND source_id IN (SELECT value FROM json_each(?))`,
    ),
    resolve: db.prepare(
      `UPDATE exceptions SET state = 'resolved', resolved_by_run = ?, resolved_by = NULL, resolved_at = ?,
         resolution = ?, updated_at = ?, next_attempt_at = NULL WHERE id = ?`,
    ),
    find: db.prepare<[string, string], { id: string; source_hash: string | null }>(
      'SELECT id, source_hash FROM exceptions WHERE flow_id = ? AND source_id = ?',
    ),
    retries: db.prepare<[string], { state: string; auto_retries: number }>(
      'SELECT state, auto_retries FROM exceptions WHERE id = ?',
    ),
    // A transient failure of an open exception: wait and retry, or give up after the limit.
    schedule: db.prepare(
      `UPDATE exceptions SET state = ?, next_attempt_at = ?, auto_retries = ? WHERE id = ?`,
    ),
    insert: db.prepare(
      `INSERT INTO exceptions (id, flow_id, source_type, source_id, source_version, source_hash, source_payload,
         latest_source_version, latest_source_payload, mapped_payload, target_key, stage, class, error_code,
         error_field, signature, error_message, state, attempts, created_at, updated_at, last_failed_at, last_run_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, 'open', 1, ?, ?, ?, ?)`,
    ),
    // A resolved (or retrying) exception that fails again is open again; an ignored or dead one keeps
    // the state a person (or the retry limit) gave it, and just gains the attempt.
    update: db.prepare(
      `UPDATE exceptions SET latest_source_version = ?,
         latest_source_payload = CASE WHEN source_hash IS ? THEN NULL ELSE ? END,
         mapped_payload = ?, target_key = ?, stage = ?, class = ?, error_code = ?, error_field = ?, signature = ?,
         error_message = ?, attempts = attempts + 1, updated_at = ?, last_failed_at = ?, last_run_id = ?,
         next_attempt_at = NULL,
         state = CASE WHEN state IN ('resolved', 'retrying') THEN 'open' ELSE state END,
         resolved_by_run = CASE WHEN state = 'resolved' THEN NULL ELSE resolved_by_run END,
         resolved_by = CASE WHEN state = 'resolved' THEN NULL ELSE resolved_by END,
         resolved_at = CASE WHEN state = 'resolved' THEN NULL ELSE resolved_at END,
         resolution = CASE WHEN state = 'resolved' THEN NULL ELSE resolution END
       WHERE id = ?`,
    ),
    attempt: db.prepare(
      `INSERT INTO exception_attempts (exception_id, run_id, at, outcome, stage, error_code, error_message, source_version)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
  };

  /**
   * Only an exception left open by this failure is scheduled: an ignored or dead one keeps the
   * state a person (or the limit) gave it. Past the limit it is dead, waiting for a human.
   */
  const scheduleRetry = (flowId: string, id: string, at: string): void => {
    const row = q.retries.get(id);
    if (row?.state !== 'open') return;
    const policy = policyOf(flowId);
    if (row.auto_retries >= policy.limit) {
      q.schedule.run('dead', null, row.auto_retries, id);
      return;
    }
    const due = new Date(Date.parse(at) + retryDelayMs(policy, row.auto_retries)).toISOString();
    q.schedule.run('retrying', due, row.auto_retries + 1, id);
  };

  const resolve = (c: RunContext, sources: readonly SourceRef[], at: string, resolution: string): void => {
    if (sources.length === 0) return;
    const versions = new Map(sources.map((source) => [source.sourceId, source.version]));
    const ids = JSON.stringify([...versions.keys()]);
    for (const row of q.unsettled.all(c.flowId, ids)) {
      q.resolve.run(c.runId, at, resolution, at, row.id);
      q.attempt.run(row.id, c.runId, at, 'succeeded', null, null, null, versions.get(row.source_id) ?? '');
    }
  };

  return {
    /** Loaded records: their unsettled exceptions are resolved by this run. */
    succeeded(c: RunContext, loaded: readonly LoadedRecord[], at: string): void {
      if (loaded.length === 0) return;
      resolve(
        c,
        loaded.map((r) => r.source),
        at,
        `Resolved by run ${c.runId}: the record went through.`,
      );
    },

    /**
     * Records skipped as unchanged also resolve their unsettled exceptions: the target already holds
     * exactly the payload the record maps to now, written by an earlier success, so a failure
     * recorded after that write left nothing to fix (one recorded before it was resolved by it).
     */
    unchanged(c: RunContext, sources: readonly SourceRef[], at: string): void {
      resolve(
        c,
        sources,
        at,
        `Resolved by run ${c.runId}: the target already holds this record's current data (unchanged since it was written).`,
      );
    },

    /** One failed record: a new exception, or one more attempt at the existing one. */
    failed(c: RunContext, r: FailedRecord, at: string): void {
      const message = sanitisedMessage(r.error.message);
      const signature = errorSignature(r.error.code, message);
      const klass = exceptionClassOf(r.error.class, r.error.code);
      const mapped = r.payloadJson === null ? null : clipPayload(r.payloadJson, MAX_FAILURE_PAYLOAD_CHARS);
      // The source payload is what a retry sends again: kept whole up to the replayable size.
      const source = clipPayload(r.sourceJson, MAX_REPLAYABLE_PAYLOAD_CHARS);
      const existing = q.find.get(c.flowId, r.source.sourceId);
      let id: string;
      if (existing === undefined) {
        id = newExceptionId();
        q.insert.run(
          id,
          c.flowId,
          r.source.type,
          r.source.sourceId,
          r.source.version,
          r.sourceHash,
          source,
          r.source.version,
          mapped,
          r.key,
          r.stage,
          klass,
          r.error.code,
          signature.field,
          signature.signature,
          message,
          at,
          at,
          at,
          c.runId,
        );
      } else {
        id = existing.id;
        q.update.run(
          r.source.version,
          r.sourceHash,
          source,
          mapped,
          r.key,
          r.stage,
          klass,
          r.error.code,
          signature.field,
          signature.signature,
          message,
          at,
          at,
          c.runId,
          id,
        );
      }
      q.attempt.run(id, c.runId, at, 'failed', r.stage, r.error.code, message, r.source.version);
      if (klass === 'transient') scheduleRetry(c.flowId, id, at);
    },
  };
}
