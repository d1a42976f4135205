import type Database from 'better-sqlite3';
import { keptPayloadSql } from './stored-payload.js';

/** One record a replay run sends: an exception's stored source payload, or an edit of it (read by ReplayPages). */
export interface ReplayRow {
  readonly exception_id: string;
  readonly source_type: string;
  readonly source_id: string;
  readonly version: string;
  readonly payload: string;
}

export interface ReplayCandidate {
  readonly id: string;
  readonly flow_id: string;
  readonly auto_retries: number;
}

/** Unsettled, with a payload to send, and not waiting in (or being sent by) an unfinished replay run. */
const SENDABLE = `e.state IN ('open', 'retrying', 'dead')
  AND coalesce(e.latest_source_payload, e.source_payload) IS NOT NULL
  AND ${keptPayloadSql('coalesce(e.latest_source_payload, e.source_payload)')}
  AND NOT EXISTS (SELECT 1 FROM replay_items ri JOIN runs r ON r.id = ri.run_id
    WHERE ri.exception_id = e.id AND r.status IN ('queued', 'running', 'paused'))`;

/**
 * The store side of replays (migration 007): which exceptions a replay run sends, the edited
 * payloads (new child rows; the exception's original never changes), and which transient
 * exceptions are due for their automatic retry.
 */
export class ReplayRepo {
  private readonly q;

  constructor(private readonly db: Database.Database) {
    this.q = {
      // One statement for a run's items (up to 10,000), not one call per item.
      items: db.prepare(
        `INSERT INTO replay_items (run_id, exception_id, edit_id)
         SELECT ?, item.value ->> '$[0]', item.value ->> '$[1]' FROM json_each(?) AS item`,
      ),
      edit: db.prepare(
        'INSERT INTO exception_edits (exception_id, source_payload, edited_by, edited_at) VALUES (?, ?, ?, ?)',
      ),
      claim: db.prepare("UPDATE exceptions SET next_attempt_at = ? WHERE id = ? AND state = 'retrying'"),
      freshBudget: db.prepare(
        "UPDATE exceptions SET state = 'open', auto_retries = 0, next_attempt_at = NULL WHERE id = ? AND state = 'dead'",
      ),
    };
  }

  /** Of these ids, the ones a replay may send now, with their flows. */
  sendable(ids: readonly string[]): ReplayCandidate[] {
    return this.db
      .prepare<[string], ReplayCandidate>(
        // Driven by the chosen ids (CROSS JOIN fixes the order): left to itself SQLite walks the
        // state index over every unsettled exception and tests each against the list.
        `SELECT e.id, e.flow_id, e.auto_retries
         FROM (SELECT DISTINCT value FROM json_each(?)) AS chosen CROSS JOIN exceptions e ON e.id = chosen.value
         WHERE ${SENDABLE} ORDER BY e.flow_id, e.id`,
      )
      .all(JSON.stringify(ids));
  }

  /** Transient exceptions whose next automatic retry is due, oldest due first. */
  due(nowIso: string, limit: number): ReplayCandidate[] {
    return this.db
      .prepare<[string, number], ReplayCandidate>(
        `SELECT e.id, e.flow_id, e.auto_retries FROM exceptions e
         WHERE e.state = 'retrying' AND e.next_attempt_at <= ? AND ${SENDABLE}
         ORDER BY e.next_attempt_at LIMIT ?`,
      )
      .all(nowIso, limit);
  }

  /**
   * Moves a due exception's next attempt on while its replay run is queued or running (the run
   * writes the real next time when it records the outcome). A run that ends without reaching it
   * (cancelled, interrupted) then leads to another try later, not at every tick.
   */
  postpone(id: string, untilIso: string): void {
    this.q.claim.run(untilIso, id);
  }

  /**
   * A dead exception a person sends again is open again with a fresh automatic-retry budget: if the
   * target is still down, the automatic retries start over instead of leaving it dead after one try.
   */
  refreshBudget(id: string): void {
    this.q.freshBudget.run(id);
  }

  addItems(runId: string, items: readonly { exceptionId: string; editId: number | null }[]): void {
    this.q.items.run(runId, JSON.stringify(items.map((item) => [item.exceptionId, item.editId])));
  }

  addEdit(exceptionId: string, payloadJson: string, by: string, atIso: string): number {
    return Number(this.q.edit.run(exceptionId, payloadJson, by, atIso).lastInsertRowid);
  }
}
