import { createHash } from 'node:crypto';
import { clipPayload, MAX_FAILURE_PAYLOAD_CHARS } from './stored-payload.js';
import type Database from 'better-sqlite3';
import type { ConnectorErrorInfo, SourceRecord } from '../../connectors/types.js';
import type { FailureStage, RunCounts } from '../../../shared/domain/run.js';
import { createExceptionRecorder } from './exception-recorder.js';
import { DEFAULT_AUTO_RETRY, type AutoRetryPolicy } from './retry-policy.js';
import { OutboxRepo, type DeferReason, type SettledState } from '../outbox/outbox-repo.js';
import type { MappedRecord } from '../pipeline/map-page.js';
import { factsWriter, type ReconcileFact } from '../reconcile/reconcile-facts.js';

/** Where a run writes: the fixed part of every lineage row of the run. */
export interface RunContext {
  readonly runId: string;
  readonly flowId: string;
  readonly sourceSystem: string;
  readonly targetSystem: string;
  readonly targetModel: string;
  readonly mappingId: string;
  readonly mappingVersion: number;
  /** The flow's target connection: where a deferred write waits for (the outbox's connection_id). */
  readonly targetConnectionId?: string;
}

/** An outbox write settled by this batch (sent, unchanged, or failed into an exception). */
export interface OutboxSettlement {
  readonly seq: number;
  readonly state: SettledState;
  readonly targetId: string | null;
}

/** A source record without its data (lineage needs only where it came from). */
export type SourceRef = Omit<SourceRecord, 'data'>;

export interface LoadedRecord {
  readonly source: SourceRef;
  readonly sourceHash: string;
  readonly key: string;
  readonly payloadHash: string;
  readonly targetId: string;
  readonly created: boolean;
  /** The mapping version the payload was mapped with, when not the run's (a write from the outbox). */
  readonly mappingVersion?: number;
}

export interface FailedRecord {
  readonly source: SourceRef;
  /** The source record's data as JSON, stored with the failure for repair. */
  readonly sourceJson: string;
  readonly sourceHash: string;
  readonly stage: FailureStage;
  readonly key: string | null;
  readonly payloadHash: string | null;
  readonly payloadJson: string | null;
  readonly error: ConnectorErrorInfo;
}

export interface BatchOutcome {
  readonly batchNo: number;
  readonly loaded: readonly LoadedRecord[];
  readonly failed: readonly FailedRecord[];
  /** Records skipped as unchanged (their payload is the one last written): they settle exceptions too. */
  readonly unchanged?: readonly SourceRef[];
  readonly counts: RunCounts;
  /** Set on the last batch of a page: the cursor to commit together with the outcome. */
  readonly cursor?: string | null;
  /** Mapped writes put into the outbox instead of the target (committed with the cursor that read them). */
  readonly deferred?: { readonly reason: DeferReason; readonly records: readonly MappedRecord[] };
  /** Outbox writes this batch settled (committed with their lineage, so a crash resends at most these). */
  readonly settle?: readonly OutboxSettlement[];
  /** Reconciliation facts of the loaded records (a flow that reconciles): committed with their lineage. */
  readonly facts?: readonly ReconcileFact[];
}

/**
 * Writes one batch's outcome in ONE transaction: lineage rows, the per-record payload hashes,
 * failed records with their payloads and their exceptions (opened, or resolved by a success), the
 * run's counts, the flow cursor (when the page is done) and the audit row the engine owes for it. Either all of it is durable or none of it is, which is
 * what lets a crash anywhere resume from the last committed cursor with no loss and no duplicate.
 * Statements take positional parameters and the previous lineage rows are read with one query per
 * batch: this runs for every record of a bulk sync.
 */
export function createBatchCommitter(
  db: Database.Database,
  now: () => Date = () => new Date(),
  retryPolicy: AutoRetryPolicy | ((flowId: string) => AutoRetryPolicy) = DEFAULT_AUTO_RETRY,
) {
  const q = {
    previous: db.prepare<[string, string], { target_key: string; lineage_seq: number }>(
      'SELECT target_key, lineage_seq FROM target_state WHERE flow_id = ? AND target_key IN (SELECT value FROM json_each(?))',
    ),
    lineage: db.prepare(
      `INSERT INTO lineage (at, run_id, flow_id, source_system, source_type, source_id, source_version, source_hash,
         mapping_id, mapping_version, target_system, target_model, target_key, target_id, payload_hash, outcome,
         supersedes, error_code)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    upsertState: db.prepare(
      `INSERT INTO target_state (flow_id, target_key, payload_hash, target_id, lineage_seq) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (flow_id, target_key) DO UPDATE SET payload_hash = excluded.payload_hash,
         target_id = excluded.target_id, lineage_seq = excluded.lineage_seq`,
    ),
    failure: db.prepare(
      `INSERT INTO record_failures (run_id, flow_id, stage, source_type, source_id, source_version, target_key,
         error_class, error_code, error_message, source_payload, mapped_payload, at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    counts: db.prepare(
      `UPDATE runs SET read_count = read_count + ?, mapped_count = mapped_count + ?, unchanged_count = unchanged_count + ?,
         written_count = written_count + ?, failed_count = failed_count + ?, deferred_count = deferred_count + ?,
         drained_count = drained_count + ?, cursor_after = coalesce(?, cursor_after)
       WHERE id = ?`,
    ),
    cursor: db.prepare('UPDATE flows SET cursor = ?, cursor_at = ? WHERE id = ?'),
    outbox: db.prepare(
      'INSERT INTO engine_audit_outbox (action, target, outcome, detail, created_at) VALUES (?, ?, ?, ?, ?)',
    ),
  };
  const exceptions = createExceptionRecorder(db, retryPolicy);
  const outbox = new OutboxRepo(db);
  const writeFacts = factsWriter(db);

  const commit = db.transaction((c: RunContext, batch: BatchOutcome): void => {
    const at = now().toISOString();
    const digest = createHash('sha256');
    const span: { first: number | null; last: number | null } = { first: null, last: null };
    const keys = [
      ...batch.loaded.map((r) => r.key),
      ...batch.failed.flatMap((r) => (r.key === null ? [] : [r.key])),
    ];
    const previous = new Map(
      q.previous.all(c.flowId, JSON.stringify(keys)).map((row) => [row.target_key, row.lineage_seq]),
    );
    const addLineage = (
      source: SourceRef,
      sourceHash: string,
      key: string,
      targetId: string | null,
      payloadHash: string,
      outcome: string,
      errorCode: string | null,
      mappingVersion: number = c.mappingVersion,
    ): number => {
      const seq = Number(
        q.lineage.run(
          at,
          c.runId,
          c.flowId,
          c.sourceSystem,
          source.type,
          source.sourceId,
          source.version,
          sourceHash,
          c.mappingId,
          mappingVersion,
          c.targetSystem,
          c.targetModel,
          key,
          targetId,
          payloadHash,
          outcome,
          previous.get(key) ?? null,
          errorCode,
        ).lastInsertRowid,
      );
      span.first ??= seq;
      span.last = seq;
      digest.update(`${seq}:${key}:${payloadHash}:${outcome}\n`);
      return seq;
    };
    for (const r of batch.loaded) {
      const seq = addLineage(
        r.source,
        r.sourceHash,
        r.key,
        r.targetId,
        r.payloadHash,
        r.created ? 'created' : 'updated',
        null,
        r.mappingVersion,
      );
      q.upsertState.run(c.flowId, r.key, r.payloadHash, r.targetId, seq);
      previous.set(r.key, seq);
    }
    if (batch.facts !== undefined) writeFacts(c.flowId, batch.facts, at);
    // Successes first: a record that both went through and failed again in one batch stays open.
    exceptions.succeeded(c, batch.loaded, at);
    if (batch.unchanged !== undefined) exceptions.unchanged(c, batch.unchanged, at);
    for (const r of batch.failed) {
      if (r.stage === 'load' && r.key !== null) {
        addLineage(r.source, r.sourceHash, r.key, null, r.payloadHash ?? '', 'failed', r.error.code);
      }
      q.failure.run(
        c.runId,
        c.flowId,
        r.stage,
        r.source.type,
        r.source.sourceId,
        r.source.version,
        r.key,
        r.error.class,
        r.error.code,
        r.error.message.slice(0, 2000),
        clip(r.sourceJson),
        r.payloadJson === null ? null : clip(r.payloadJson),
        at,
      );
      exceptions.failed(c, r, at);
    }
    for (const settled of batch.settle ?? [])
      outbox.settle(settled.seq, settled.state, c.runId, settled.targetId, at);
    if (batch.deferred !== undefined && batch.deferred.records.length > 0) {
      if (c.targetConnectionId === undefined)
        throw new Error('a deferred write needs the flow target connection');
      outbox.defer(c, c.targetConnectionId, batch.deferred.reason, batch.deferred.records, at);
    }
    const n = batch.counts;
    q.counts.run(
      n.read,
      n.mapped,
      n.unchanged,
      n.written,
      n.failed,
      n.deferred ?? 0,
      n.drained ?? 0,
      batch.cursor ?? null,
      c.runId,
    );
    if (batch.cursor !== undefined) q.cursor.run(batch.cursor, at, c.flowId);
    const detail = {
      flow: c.flowId,
      run: c.runId,
      batch: batch.batchNo,
      mapping: `${c.mappingId}@${c.mappingVersion}`,
      counts: n,
      // The digest chains this batch's lineage rows into the tamper-evident audit log.
      lineage: span.first === null ? null : { from: span.first, to: span.last, sha256: digest.digest('hex') },
      cursorCommitted: batch.cursor !== undefined,
    };
    q.outbox.run(
      'engine.batch',
      `${c.runId}#${batch.batchNo}`,
      n.failed > 0 ? 'error' : 'ok',
      JSON.stringify(detail),
      at,
    );
  });

  return (context: RunContext, batch: BatchOutcome): void => {
    commit.immediate(context, batch);
  };
}

/** A run's failure history keeps payloads for people to read; one monster record must not bloat it. */
function clip(json: string): string {
  return clipPayload(json, MAX_FAILURE_PAYLOAD_CHARS);
}
