import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { ConnectorErrorInfo, SourceRecord } from '../../connectors/types.js';
import type { FailureStage, RunCounts } from '../../../shared/domain/run.js';

/** Where a run writes: the fixed part of every lineage row of the run. */
export interface RunContext {
  readonly runId: string;
  readonly flowId: string;
  readonly sourceSystem: string;
  readonly targetSystem: string;
  readonly targetModel: string;
  readonly mappingId: string;
  readonly mappingVersion: number;
}

export interface LoadedRecord {
  readonly source: SourceRecord;
  readonly sourceHash: string;
  readonly key: string;
  readonly payloadHash: string;
  readonly targetId: string;
  readonly created: boolean;
}

export interface FailedRecord {
  readonly source: SourceRecord;
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
  readonly counts: RunCounts;
  /** Set on the last batch of a page: the cursor to commit together with the outcome. */
  readonly cursor?: string | null;
}

const MAX_PAYLOAD_CHARS = 256 * 1024;

/**
 * Writes one batch's outcome in ONE transaction: lineage rows, the per-record payload hashes,
 * failed records with their payloads, the run's counts, the flow cursor (when the page is done)
 * and the audit row the engine owes for it. Either all of it is durable or none of it is, which is
 * what lets a crash anywhere resume from the last committed cursor with no loss and no duplicate.
 */
export function createBatchCommitter(db: Database.Database, now: () => Date = () => new Date()) {
  const q = {
    state: db.prepare<[string, string], { lineage_seq: number }>(
      'SELECT lineage_seq FROM target_state WHERE flow_id = ? AND target_key = ?',
    ),
    lineage: db.prepare(
      `INSERT INTO lineage (at, run_id, flow_id, source_system, source_type, source_id, source_version, source_hash,
         mapping_id, mapping_version, target_system, target_model, target_key, target_id, payload_hash, outcome,
         supersedes, error_code)
       VALUES (@at, @runId, @flowId, @sourceSystem, @sourceType, @sourceId, @sourceVersion, @sourceHash, @mappingId,
         @mappingVersion, @targetSystem, @targetModel, @targetKey, @targetId, @payloadHash, @outcome, @supersedes,
         @errorCode)`,
    ),
    upsertState: db.prepare(
      `INSERT INTO target_state (flow_id, target_key, payload_hash, target_id, lineage_seq) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (flow_id, target_key) DO UPDATE SET payload_hash = excluded.payload_hash,
         target_id = excluded.target_id, lineage_seq = excluded.lineage_seq`,
    ),
    failure: db.prepare(
      `INSERT INTO record_failures (run_id, flow_id, stage, source_type, source_id, source_version, target_key,
         error_class, error_code, error_message, source_payload, mapped_payload, at)
       VALUES (@runId, @flowId, @stage, @sourceType, @sourceId, @sourceVersion, @targetKey, @errorClass, @errorCode,
         @errorMessage, @sourcePayload, @mappedPayload, @at)`,
    ),
    counts: db.prepare(
      `UPDATE runs SET read_count = read_count + @read, mapped_count = mapped_count + @mapped,
         unchanged_count = unchanged_count + @unchanged, written_count = written_count + @written,
         failed_count = failed_count + @failed, cursor_after = coalesce(@cursor, cursor_after) WHERE id = @id`,
    ),
    cursor: db.prepare('UPDATE flows SET cursor = ?, cursor_at = ? WHERE id = ?'),
    outbox: db.prepare(
      'INSERT INTO engine_audit_outbox (action, target, outcome, detail, created_at) VALUES (?, ?, ?, ?, ?)',
    ),
  };

  const commit = db.transaction((context: RunContext, batch: BatchOutcome): void => {
    const at = now().toISOString();
    const digest = createHash('sha256');
    let firstSeq: number | null = null;
    let lastSeq: number | null = null;
    const addLineage = (row: Record<string, unknown>, key: string): number => {
      const previous = q.state.get(context.flowId, key)?.lineage_seq ?? null;
      const seq = Number(q.lineage.run({ ...base, ...row, targetKey: key, supersedes: previous }).lastInsertRowid);
      firstSeq ??= seq;
      lastSeq = seq;
      digest.update(`${seq}:${key}:${String(row.payloadHash)}:${String(row.outcome)}\n`);
      return seq;
    };
    const base = { at, ...context };
    for (const record of batch.loaded) {
      const seq = addLineage(
        {
          ...sourceColumns(record.source, record.sourceHash),
          targetId: record.targetId,
          payloadHash: record.payloadHash,
          outcome: record.created ? 'created' : 'updated',
          errorCode: null,
        },
        record.key,
      );
      q.upsertState.run(context.flowId, record.key, record.payloadHash, record.targetId, seq);
    }
    for (const record of batch.failed) {
      if (record.stage === 'load' && record.key !== null) {
        addLineage(
          {
            ...sourceColumns(record.source, record.sourceHash),
            targetId: null,
            payloadHash: record.payloadHash ?? '',
            outcome: 'failed',
            errorCode: record.error.code,
          },
          record.key,
        );
      }
      q.failure.run({
        runId: context.runId,
        flowId: context.flowId,
        stage: record.stage,
        sourceType: record.source.type,
        sourceId: record.source.sourceId,
        sourceVersion: record.source.version,
        targetKey: record.key,
        errorClass: record.error.class,
        errorCode: record.error.code,
        errorMessage: record.error.message.slice(0, 2000),
        sourcePayload: clip(JSON.stringify(record.source.data) ?? 'null'),
        mappedPayload: record.payloadJson === null ? null : clip(record.payloadJson),
        at,
      });
    }
    q.counts.run({ id: context.runId, ...batch.counts, cursor: batch.cursor ?? null });
    if (batch.cursor !== undefined) q.cursor.run(batch.cursor, at, context.flowId);
    const detail = {
      flow: context.flowId,
      run: context.runId,
      batch: batch.batchNo,
      mapping: `${context.mappingId}@${context.mappingVersion}`,
      counts: batch.counts,
      lineage: firstSeq === null ? null : { from: firstSeq, to: lastSeq, sha256: digest.digest('hex') },
      cursorCommitted: batch.cursor !== undefined,
    };
    q.outbox.run(
      'engine.batch',
      `${context.runId}#${batch.batchNo}`,
      batch.counts.failed > 0 ? 'error' : 'ok',
      JSON.stringify(detail),
      at,
    );
  });

  return (context: RunContext, batch: BatchOutcome): void => {
    commit.immediate(context, batch);
  };
}

function sourceColumns(source: SourceRecord, sourceHash: string): Record<string, unknown> {
  return {
    sourceType: source.type,
    sourceId: source.sourceId,
    sourceVersion: source.version,
    sourceHash,
  };
}

/** Payloads are kept for repair, but one monster record must not bloat the store. */
function clip(json: string): string {
  return json.length <= MAX_PAYLOAD_CHARS ? json : JSON.stringify({ truncated: true, chars: json.length, head: json.slice(0, 4096) });
}
