import type Database from 'better-sqlite3';
import type { RecordFailure, Run, RunCounts, RunStatus, RunTrigger } from '../../../shared/domain/run.js';
import { newId } from './engine-ids.js';

interface RunRow {
  id: string;
  flow_id: string;
  trigger: RunTrigger;
  requested_by: string;
  status: RunStatus;
  mapping_id: string;
  mapping_version: number;
  read_count: number;
  mapped_count: number;
  unchanged_count: number;
  written_count: number;
  failed_count: number;
  deferred_count: number;
  drained_count: number;
  cursor_before: string | null;
  cursor_after: string | null;
  backfill_from: string | null;
  queued_at: string;
  started_at: string | null;
  finished_at: string | null;
  error: string | null;
}

interface FailureRow {
  id: number;
  run_id: string;
  flow_id: string;
  stage: RecordFailure['stage'];
  source_type: string;
  source_id: string;
  source_version: string;
  target_key: string | null;
  error_class: string;
  error_code: string;
  error_message: string;
  source_payload: string | null;
  mapped_payload: string | null;
  at: string;
}

function toRun(row: RunRow): Run {
  return {
    id: row.id,
    flowId: row.flow_id,
    trigger: row.trigger,
    requestedBy: row.requested_by,
    status: row.status,
    mappingId: row.mapping_id,
    mappingVersion: row.mapping_version,
    counts: {
      read: row.read_count,
      mapped: row.mapped_count,
      unchanged: row.unchanged_count,
      written: row.written_count,
      failed: row.failed_count,
      ...(row.deferred_count > 0 ? { deferred: row.deferred_count } : {}),
      ...(row.drained_count > 0 ? { drained: row.drained_count } : {}),
    },
    cursorBefore: row.cursor_before,
    cursorAfter: row.cursor_after,
    backfillFrom: row.backfill_from,
    queuedAt: row.queued_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    error: row.error,
  };
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function toFailure(row: FailureRow): RecordFailure {
  return {
    id: row.id,
    runId: row.run_id,
    flowId: row.flow_id,
    stage: row.stage,
    sourceType: row.source_type,
    sourceId: row.source_id,
    sourceVersion: row.source_version,
    targetKey: row.target_key,
    errorClass: row.error_class,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    sourcePayload: parseJson(row.source_payload),
    mappedPayload: parseJson(row.mapped_payload),
    at: row.at,
  };
}

export interface NewRun {
  readonly flowId: string;
  readonly trigger: RunTrigger;
  readonly requestedBy: string;
  readonly mappingId: string;
  readonly mappingVersion: number;
  readonly cursorBefore: string | null;
  readonly backfillFrom: string | null;
}

/** Runs: trigger, timing, counts and cursors. Counts are added inside each batch's transaction. */
export class RunsRepo {
  private readonly q;

  constructor(
    db: Database.Database,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.q = {
      insert: db.prepare(
        `INSERT INTO runs (id, flow_id, trigger, requested_by, status, mapping_id, mapping_version, cursor_before,
           backfill_from, queued_at)
         VALUES (@id, @flowId, @trigger, @requestedBy, 'queued', @mappingId, @mappingVersion, @cursorBefore,
           @backfillFrom, @now)`,
      ),
      get: db.prepare<[string], RunRow>('SELECT * FROM runs WHERE id = ?'),
      list: db.prepare<[number], RunRow>('SELECT * FROM runs ORDER BY queued_at DESC, id LIMIT ?'),
      listByFlow: db.prepare<[string, number], RunRow>(
        'SELECT * FROM runs WHERE flow_id = ? ORDER BY queued_at DESC, id LIMIT ?',
      ),
      unfinished: db.prepare<[], RunRow>(
        "SELECT * FROM runs WHERE status IN ('queued', 'running', 'paused') ORDER BY queued_at",
      ),
      queuedFor: db.prepare<[string], RunRow>(
        "SELECT * FROM runs WHERE flow_id = ? AND status = 'queued' AND backfill_from IS NULL AND trigger <> 'replay' ORDER BY queued_at, id LIMIT 1",
      ),
      setStatus: db.prepare('UPDATE runs SET status = ? WHERE id = ?'),
      start: db.prepare(
        `UPDATE runs SET status = 'running', started_at = coalesce(started_at, @now),
           cursor_before = CASE WHEN @setCursor = 1 THEN @cursor ELSE cursor_before END WHERE id = @id`,
      ),
      addCounts: db.prepare(
        `UPDATE runs SET read_count = read_count + @read, mapped_count = mapped_count + @mapped,
           unchanged_count = unchanged_count + @unchanged, written_count = written_count + @written,
           failed_count = failed_count + @failed, cursor_after = coalesce(@cursor, cursor_after) WHERE id = @id`,
      ),
      finish: db.prepare('UPDATE runs SET status = ?, finished_at = ?, error = ? WHERE id = ?'),
      finishUnfinished: db.prepare(
        `UPDATE runs SET status = ?, finished_at = ?, error = ? WHERE id = ? AND status IN ('queued', 'running', 'paused')`,
      ),
      failures: db.prepare<[string, number, number], FailureRow>(
        'SELECT * FROM record_failures WHERE run_id = ? AND id > ? ORDER BY id LIMIT ?',
      ),
    };
  }

  create(run: NewRun): Run {
    const id = newId('run');
    this.q.insert.run({ id, ...run, now: this.now().toISOString() });
    const created = this.get(id);
    if (!created) throw new Error('run vanished after insert');
    return created;
  }

  get(id: string): Run | null {
    const row = this.q.get.get(id);
    return row ? toRun(row) : null;
  }

  list(flowId: string | undefined, limit: number): Run[] {
    const rows = flowId === undefined ? this.q.list.all(limit) : this.q.listByFlow.all(flowId, limit);
    return rows.map(toRun);
  }

  unfinished(): Run[] {
    return this.q.unfinished.all().map(toRun);
  }

  /** The oldest queued run of a flow that reads from the flow's cursor (not a backfill). */
  queuedFor(flowId: string): Run | null {
    const row = this.q.queuedFor.get(flowId);
    return row ? toRun(row) : null;
  }

  /**
   * Marks a run running. `cursorBefore` is where it really starts: a run that waited in the queue
   * behind another run of its flow reads from the cursor that run left, not from the one it saw
   * when it was queued (that would read committed records again).
   */
  start(id: string, cursorBefore?: string | null): void {
    this.q.start.run({
      id,
      now: this.now().toISOString(),
      setCursor: cursorBefore === undefined ? 0 : 1,
      cursor: cursorBefore ?? null,
    });
  }

  setStatus(id: string, status: RunStatus): void {
    this.q.setStatus.run(status, id);
  }

  /** Runs inside the batch transaction, so the counts always match the lineage and failures. */
  addCounts(id: string, counts: RunCounts, cursor: string | null): void {
    this.q.addCounts.run({ id, ...counts, cursor });
  }

  finish(id: string, status: RunStatus, error: string | null): void {
    this.q.finish.run(status, this.now().toISOString(), error, id);
  }

  /** Finishes a run only if it has not finished yet; says whether it did. */
  finishUnfinished(id: string, status: RunStatus, error: string | null): boolean {
    return this.q.finishUnfinished.run(status, this.now().toISOString(), error, id).changes === 1;
  }

  failures(runId: string, afterId: number, limit: number): RecordFailure[] {
    return this.q.failures.all(runId, afterId, limit).map(toFailure);
  }
}
