import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type {
  ShadowFieldDiff,
  ShadowGate,
  ShadowRecordResult,
  ShadowRunSummary,
  ShadowState,
  ShadowVerdict,
  ShadowWindow,
} from '../../../shared/domain/shadow.js';

/** Shadow runs and their per-record results (migration 015), and each mapping's promotion gate. */

interface RunRow {
  id: string;
  flow_id: string;
  mapping_id: string;
  version: number;
  active_version: number | null;
  window_json: string;
  state: ShadowState;
  started_at: string;
  started_by: string;
  finished_at: string | null;
  period: string;
  records: number;
  differing: number;
  accepted: number;
  refused: number;
  unmapped: number;
  unchecked: number;
  clean: number;
  checked_by: string;
  error: string | null;
}

interface RecordRow {
  seq: number;
  source_id: string;
  source_version: string;
  target_key: string | null;
  target_id: string | null;
  active_mapped: number | null;
  verdict: ShadowVerdict;
  message: string | null;
  diffs_json: string | null;
}

export interface NewShadowRun {
  readonly flowId: string;
  readonly mappingId: string;
  readonly version: number;
  readonly activeVersion: number | null;
  readonly window: ShadowWindow;
  readonly startedBy: string;
  readonly checkedBy: string;
  readonly now: Date;
}

export type NewShadowRecord = Omit<ShadowRecordResult, 'seq'>;

function summaryOf(row: RunRow): ShadowRunSummary {
  return {
    id: row.id,
    flowId: row.flow_id,
    mappingId: row.mapping_id,
    version: row.version,
    activeVersion: row.active_version,
    window: JSON.parse(row.window_json) as ShadowWindow,
    state: row.state,
    startedAt: row.started_at,
    startedBy: row.started_by,
    finishedAt: row.finished_at,
    period: row.period,
    records: row.records,
    differing: row.differing,
    accepted: row.accepted,
    refused: row.refused,
    unmapped: row.unmapped,
    unchecked: row.unchecked,
    clean: row.clean === 1,
    checkedBy: row.checked_by,
    error: row.error,
  };
}

export class ShadowStore {
  constructor(private readonly db: Database.Database) {}

  create(run: NewShadowRun): ShadowRunSummary {
    const id = `shadow_${randomBytes(10).toString('hex')}`;
    const at = run.now.toISOString();
    this.db
      .prepare(
        `INSERT INTO shadow_runs (id, flow_id, mapping_id, version, active_version, window_json, started_at,
           started_by, period, checked_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        run.flowId,
        run.mappingId,
        run.version,
        run.activeVersion,
        JSON.stringify(run.window),
        at,
        run.startedBy,
        at.slice(0, 10),
        run.checkedBy,
      );
    return this.get(id) as ShadowRunSummary;
  }

  /** Stores every record's result and the counts in one transaction (clean: see ShadowRunSummary). */
  finish(id: string, records: readonly NewShadowRecord[], now: Date): ShadowRunSummary {
    const insert = this.db.prepare(
      `INSERT INTO shadow_records (run_id, seq, source_id, source_version, target_key, target_id, active_mapped,
         verdict, message, diffs_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const count = (verdict: ShadowVerdict): number => records.filter((r) => r.verdict === verdict).length;
    const differing = records.filter((r) => (r.diffs?.length ?? 0) > 0).length;
    const accepted = count('accepted');
    const regressions = records.filter((r) => r.verdict === 'unmapped' && r.activeMapped !== false).length;
    const clean = records.length > 0 && count('refused') === 0 && regressions === 0 ? 1 : 0;
    this.db.transaction(() => {
      records.forEach((record, seq) =>
        insert.run(
          id,
          seq,
          record.sourceId,
          record.sourceVersion,
          record.key,
          record.targetId,
          record.activeMapped === null ? null : record.activeMapped ? 1 : 0,
          record.verdict,
          record.message,
          record.diffs === null ? null : JSON.stringify(record.diffs),
        ),
      );
      this.db
        .prepare(
          `UPDATE shadow_runs SET state = 'finished', finished_at = ?, records = ?, differing = ?, accepted = ?,
             refused = ?, unmapped = ?, unchecked = ?, clean = ? WHERE id = ? AND state = 'running'`,
        )
        .run(
          now.toISOString(),
          records.length,
          differing,
          accepted,
          count('refused'),
          count('unmapped'),
          count('unchecked'),
          clean,
          id,
        );
    })();
    return this.get(id) as ShadowRunSummary;
  }

  fail(id: string, error: string, now: Date): void {
    this.db
      .prepare(
        `UPDATE shadow_runs SET state = 'failed', finished_at = ?, error = ? WHERE id = ? AND state = 'running'`,
      )
      .run(now.toISOString(), error.slice(0, 2000), id);
  }

  /** Runs an engine stopped in the middle of: they never finish. */
  failUnfinished(now: Date): number {
    return this.db
      .prepare(
        `UPDATE shadow_runs SET state = 'failed', finished_at = ?, error = 'The engine stopped during the run.'
           WHERE state = 'running'`,
      )
      .run(now.toISOString()).changes;
  }

  get(id: string): ShadowRunSummary | null {
    const row = this.db.prepare<[string], RunRow>('SELECT * FROM shadow_runs WHERE id = ?').get(id);
    return row === undefined ? null : summaryOf(row);
  }

  list(filter: { flowId: string | null; mappingId: string | null; limit: number }): ShadowRunSummary[] {
    return this.db
      .prepare<{ flowId: string | null; mappingId: string | null; limit: number }, RunRow>(
        `SELECT * FROM shadow_runs WHERE (@flowId IS NULL OR flow_id = @flowId)
           AND (@mappingId IS NULL OR mapping_id = @mappingId) ORDER BY started_at DESC, rowid DESC LIMIT @limit`,
      )
      .all(filter)
      .map(summaryOf);
  }

  records(id: string): ShadowRecordResult[] {
    return this.db
      .prepare<[string], RecordRow>('SELECT * FROM shadow_records WHERE run_id = ? ORDER BY seq')
      .all(id)
      .map((row) => ({
        seq: row.seq,
        sourceId: row.source_id,
        sourceVersion: row.source_version,
        key: row.target_key,
        targetId: row.target_id,
        activeMapped: row.active_mapped === null ? null : row.active_mapped === 1,
        verdict: row.verdict,
        message: row.message,
        diffs: row.diffs_json === null ? null : (JSON.parse(row.diffs_json) as ShadowFieldDiff[]),
      }));
  }

  periodsRequired(mappingId: string): number {
    const row = this.db
      .prepare<[string], { periods_required: number }>(
        'SELECT periods_required FROM shadow_gates WHERE mapping_id = ?',
      )
      .get(mappingId);
    return row?.periods_required ?? 0;
  }

  setPeriodsRequired(mappingId: string, periods: number, by: string, now: Date): void {
    this.db
      .prepare(
        `INSERT INTO shadow_gates (mapping_id, periods_required, updated_by, updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (mapping_id) DO UPDATE SET periods_required = excluded.periods_required,
             updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
      )
      .run(mappingId, periods, by, now.toISOString());
  }

  /** Distinct UTC days with at least one clean shadow run of this version. */
  cleanPeriods(mappingId: string, version: number): number {
    const row = this.db
      .prepare<[string, number], { n: number }>(
        `SELECT count(DISTINCT period) AS n FROM shadow_runs WHERE mapping_id = ? AND version = ? AND clean = 1`,
      )
      .get(mappingId, version);
    return row?.n ?? 0;
  }

  gate(mappingId: string): ShadowGate {
    const rows = this.db
      .prepare<[string], { version: number; periods: number }>(
        `SELECT version, count(DISTINCT period) AS periods FROM shadow_runs WHERE mapping_id = ? AND clean = 1
           GROUP BY version ORDER BY version`,
      )
      .all(mappingId);
    return { mappingId, periodsRequired: this.periodsRequired(mappingId), cleanPeriods: rows };
  }
}
