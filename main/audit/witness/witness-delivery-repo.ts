import type Database from 'better-sqlite3';
import type {
  WitnessDeliveryStatus,
  WitnessDeliveryView,
} from '../../../shared/contract/ops/witness-types.js';
import { CheckpointRepo, type StoredCheckpoint } from '../../store/audit/checkpoints/checkpoint-repo.js';

interface Row {
  checkpoint_id: number;
  seq: number;
  status: WitnessDeliveryStatus;
  attempts: number;
  last_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  next_attempt_at: string | null;
  delivered_at: string | null;
}

export interface WitnessAttempt {
  readonly at: string;
  readonly statusCode: number | null;
  readonly error: string | null;
}

const VIEW_COLUMNS = `d.checkpoint_id, c.seq, d.status, d.attempts, d.last_attempt_at, d.last_status_code,
  d.last_error, d.next_attempt_at, d.delivered_at`;

/** The audit_witness_deliveries table (migration 018): what the witness is owed and what it got. */
export class WitnessDeliveryRepo {
  private readonly checkpoints: CheckpointRepo;

  constructor(private readonly db: Database.Database) {
    this.checkpoints = new CheckpointRepo(db);
  }

  /** False on a store without migration 018 (or 016): no witness can be kept there. */
  available(): boolean {
    return (
      this.db
        .prepare(
          "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name IN ('audit_checkpoints', 'audit_witness_deliveries')",
        )
        .pluck()
        .get() === 2
    );
  }

  /**
   * A pending row for every checkpoint from `fromId` on that has none yet: scheduled, on-demand and
   * the ones `osc audit-checkpoint` signed while the console was stopped alike. Answers how many.
   */
  enqueueNew(fromId: number, at: string): number {
    return this.db
      .prepare(
        `INSERT INTO audit_witness_deliveries (checkpoint_id, status, created_at)
         SELECT c.id, 'pending', ? FROM audit_checkpoints c
         WHERE c.id >= ? AND NOT EXISTS (SELECT 1 FROM audit_witness_deliveries d WHERE d.checkpoint_id = c.id)`,
      )
      .run(at, fromId).changes;
  }

  /** Pending deliveries whose next attempt is due, oldest checkpoint first. */
  due(at: string, limit: number): { delivery: WitnessDeliveryView; checkpoint: StoredCheckpoint }[] {
    const rows = this.db
      .prepare<[string, number], Row>(
        `SELECT ${VIEW_COLUMNS} FROM audit_witness_deliveries d JOIN audit_checkpoints c ON c.id = d.checkpoint_id
         WHERE d.status = 'pending' AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= ?)
         ORDER BY d.checkpoint_id LIMIT ?`,
      )
      .all(at, limit);
    return rows.flatMap((row) => {
      const checkpoint = this.checkpoints.get(row.checkpoint_id);
      return checkpoint === null ? [] : [{ delivery: view(row), checkpoint }];
    });
  }

  /** One attempt that did not deliver: the row stays pending (next attempt then) or is failed for good. */
  recordFailure(checkpointId: number, attempt: WitnessAttempt, next: string | null): WitnessDeliveryView {
    this.db
      .prepare(
        `UPDATE audit_witness_deliveries SET attempts = attempts + 1, last_attempt_at = ?, last_status_code = ?,
           last_error = ?, status = ?, next_attempt_at = ? WHERE checkpoint_id = ?`,
      )
      .run(
        attempt.at,
        attempt.statusCode,
        attempt.error,
        next === null ? 'failed' : 'pending',
        next,
        checkpointId,
      );
    return this.get(checkpointId);
  }

  recordDelivered(checkpointId: number, attempt: WitnessAttempt): WitnessDeliveryView {
    this.db
      .prepare(
        `UPDATE audit_witness_deliveries SET attempts = attempts + 1, last_attempt_at = ?, last_status_code = ?,
           last_error = NULL, status = 'delivered', next_attempt_at = NULL, delivered_at = ? WHERE checkpoint_id = ?`,
      )
      .run(attempt.at, attempt.statusCode, attempt.at, checkpointId);
    return this.get(checkpointId);
  }

  /** The witness was saved again (a new URL or secret): what it refused for good is tried again now. */
  retryFailedAndWaiting(): number {
    return this.db
      .prepare(
        `UPDATE audit_witness_deliveries SET status = 'pending', next_attempt_at = NULL
         WHERE status = 'failed' OR (status = 'pending' AND next_attempt_at IS NOT NULL)`,
      )
      .run().changes;
  }

  /** Every pending delivery due now: an administrator's "push now". */
  makeDueNow(): void {
    this.db
      .prepare("UPDATE audit_witness_deliveries SET next_attempt_at = NULL WHERE status = 'pending'")
      .run();
  }

  latest(limit: number): WitnessDeliveryView[] {
    return this.db
      .prepare<[number], Row>(
        `SELECT ${VIEW_COLUMNS} FROM audit_witness_deliveries d JOIN audit_checkpoints c ON c.id = d.checkpoint_id
         ORDER BY d.checkpoint_id DESC LIMIT ?`,
      )
      .all(limit)
      .map(view);
  }

  get(checkpointId: number): WitnessDeliveryView {
    const row = this.db
      .prepare<[number], Row>(
        `SELECT ${VIEW_COLUMNS} FROM audit_witness_deliveries d JOIN audit_checkpoints c ON c.id = d.checkpoint_id
         WHERE d.checkpoint_id = ?`,
      )
      .get(checkpointId);
    if (row === undefined) throw new Error(`no witness delivery for checkpoint #${checkpointId}`);
    return view(row);
  }
}

function view(row: Row): WitnessDeliveryView {
  return {
    checkpointId: row.checkpoint_id,
    seq: row.seq,
    status: row.status,
    attempts: row.attempts,
    lastAttemptAt: row.last_attempt_at,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    nextAttemptAt: row.next_attempt_at,
    deliveredAt: row.delivered_at,
  };
}
