import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { AnomalyHold, HoldState } from '../../../shared/domain/flow-anomaly.js';
import type { PastBatch } from './anomaly-judge.js';

interface HoldRow {
  id: string;
  flow_id: string;
  flow_name: string | null;
  run_id: string;
  created_at: string;
  explanation: string;
  size: number;
  state: HoldState;
  decided_by: string | null;
  decided_at: string | null;
  reason: string | null;
  context_json: string;
}

interface HistoryRow {
  weekday: number;
  month_end: number;
  volume: number;
  amount: number | null;
}

/** A run whose staged writes were left unjudged, with the mapping version that staged them. */
export interface LeftRun {
  readonly run_id: string;
  readonly first_seq: number;
  readonly mapping_id: string;
  readonly mapping_version: number;
}

export interface BatchRow {
  readonly flowId: string;
  readonly runId: string;
  readonly at: string;
  readonly weekday: number;
  readonly monthEnd: boolean;
  readonly volume: number;
  readonly amount: number | null;
  readonly verdict: 'normal' | 'held' | 'unjudged';
  readonly holdId: string | null;
}

/** A hold with what a decision needs: the run's lineage context, kept when it was held. */
export interface StoredHold extends AnomalyHold {
  readonly contextJson: string;
}

export function newHoldId(): string {
  return `hold_${randomBytes(10).toString('hex')}`;
}

const HISTORY_LIMIT = 400;

/**
 * Batch statistics and holds (migration 013). History: the flow's batches judged normal, posted
 * before it had enough history, or held and then released by a human (a rejected batch, and one still
 * held, are not what the flow normally sends), oldest first, the latest few hundred.
 */
export class AnomalyStore {
  private readonly q;

  constructor(db: Database.Database) {
    this.q = {
      history: db.prepare<[string, number], HistoryRow>(
        `SELECT weekday, month_end, volume, amount FROM (
           SELECT b.id, b.weekday, b.month_end, b.volume, b.amount FROM anomaly_batches b
           LEFT JOIN anomaly_holds h ON h.id = b.hold_id
           WHERE b.flow_id = ? AND (b.verdict <> 'held' OR h.state = 'released')
           ORDER BY b.id DESC LIMIT ?) ORDER BY id`,
      ),
      staged: db.prepare<[string, string], { seq: number; payload_json: string }>(
        `SELECT seq, payload_json FROM outbox_writes
         WHERE run_id = ? AND flow_id = ? AND state = 'waiting' AND hold_id IS NULL ORDER BY seq`,
      ),
      // Runs of the flow whose staged writes were never judged: the engine stopped (a kill, a crash, a
      // failed or cancelled run) between staging and judging. Oldest first, as the drain would send them.
      unjudged: db.prepare<[string, string], LeftRun>(
        `SELECT w.run_id, min(w.seq) AS first_seq, w.mapping_id, w.mapping_version FROM outbox_writes w
         WHERE w.flow_id = ? AND w.state = 'waiting' AND w.hold_id IS NULL AND w.run_id <> ?
           AND NOT EXISTS (SELECT 1 FROM anomaly_batches b WHERE b.flow_id = w.flow_id AND b.run_id = w.run_id)
         GROUP BY w.run_id ORDER BY first_seq`,
      ),
      addBatch: db.prepare(
        `INSERT INTO anomaly_batches (flow_id, run_id, at, weekday, month_end, volume, amount, verdict, hold_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      addHold: db.prepare(
        `INSERT INTO anomaly_holds (id, flow_id, run_id, created_at, explanation, size, first_seq, context_json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      attach: db.prepare(
        "UPDATE outbox_writes SET hold_id = ? WHERE run_id = ? AND flow_id = ? AND state = 'waiting' AND hold_id IS NULL",
      ),
      get: db.prepare<[string], HoldRow>(
        `SELECT h.*, f.name AS flow_name FROM anomaly_holds h LEFT JOIN flows f ON f.id = h.flow_id WHERE h.id = ?`,
      ),
      list: db.prepare<[{ state: string | null; flowId: string | null; limit: number }], HoldRow>(
        `SELECT h.*, f.name AS flow_name FROM anomaly_holds h LEFT JOIN flows f ON f.id = h.flow_id
         WHERE (@state IS NULL OR h.state = @state) AND (@flowId IS NULL OR h.flow_id = @flowId)
         ORDER BY h.created_at DESC, h.id LIMIT @limit`,
      ),
      decide: db.prepare(
        `UPDATE anomaly_holds SET state = ?, decided_by = ?, decided_at = ?, reason = ? WHERE id = ? AND state = 'held'`,
      ),
    };
  }

  history(flowId: string): { volume: PastBatch[]; amount: PastBatch[] } {
    const rows = this.q.history.all(flowId, HISTORY_LIMIT);
    const markers = (row: HistoryRow) => ({ weekday: row.weekday, monthEnd: row.month_end === 1 });
    return {
      volume: rows.map((row) => ({ ...markers(row), value: row.volume })),
      amount: rows.flatMap((row) => (row.amount === null ? [] : [{ ...markers(row), value: row.amount }])),
    };
  }

  /** The run's writes staged in the outbox and not yet part of a hold. */
  staged(runId: string, flowId: string): { seq: number; payload_json: string }[] {
    return this.q.staged.all(runId, flowId);
  }

  /** Earlier runs' writes staged and never judged (see `unjudged` above); never the running one's. */
  unjudgedRuns(flowId: string, runningRunId: string): LeftRun[] {
    return this.q.unjudged.all(flowId, runningRunId);
  }

  addBatch(batch: BatchRow): void {
    this.q.addBatch.run(
      batch.flowId,
      batch.runId,
      batch.at,
      batch.weekday,
      batch.monthEnd ? 1 : 0,
      batch.volume,
      batch.amount,
      batch.verdict,
      batch.holdId,
    );
  }

  /** Holds the run's staged writes: they stay in the outbox, and the flow's drain stops before them. */
  hold(hold: {
    id: string;
    flowId: string;
    runId: string;
    at: string;
    explanation: string;
    size: number;
    firstSeq: number;
    contextJson: string;
  }): void {
    this.q.addHold.run(
      hold.id,
      hold.flowId,
      hold.runId,
      hold.at,
      hold.explanation,
      hold.size,
      hold.firstSeq,
      hold.contextJson,
    );
    this.q.attach.run(hold.id, hold.runId, hold.flowId);
  }

  get(id: string): StoredHold | null {
    const row = this.q.get.get(id);
    return row === undefined ? null : { ...toHold(row), contextJson: row.context_json };
  }

  list(filter: { state: HoldState | null; flowId: string | null; limit: number }): AnomalyHold[] {
    return this.q.list.all(filter).map(toHold);
  }

  /** Records the decision; false when the hold was decided already (another console was faster). */
  decide(id: string, state: 'released' | 'rejected', by: string, at: string, reason: string): boolean {
    return this.q.decide.run(state, by, at, reason, id).changes > 0;
  }
}

function toHold(row: HoldRow): AnomalyHold {
  return {
    id: row.id,
    flowId: row.flow_id,
    flowName: row.flow_name,
    runId: row.run_id,
    createdAt: row.created_at,
    explanation: row.explanation,
    size: row.size,
    state: row.state,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    reason: row.reason,
  };
}
