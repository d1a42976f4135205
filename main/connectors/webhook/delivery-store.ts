import { createHash, randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';

/**
 * The `webhook_deliveries` and `webhook_delivery_attempts` tables (migration 002). A delivery row is
 * written before the first attempt, so a crash mid-retry leaves a pending row to resume; each attempt
 * is kept for the exception view. The event id is fixed at enqueue time and sent on every retry, so
 * the subscriber can drop duplicates.
 */
export type DeliveryStatus = 'pending' | 'delivered' | 'dead';

export interface Delivery {
  readonly id: number;
  readonly connectionId: string;
  readonly deliveryKey: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly body: string;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly lastStatusCode: number | null;
  readonly lastError: string | null;
}

interface RawDelivery {
  id: number;
  connection_id: string;
  delivery_key: string;
  event_id: string;
  event_type: string;
  body: string;
  status: DeliveryStatus;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
}

const fromRaw = (row: RawDelivery): Delivery => ({
  id: row.id,
  connectionId: row.connection_id,
  deliveryKey: row.delivery_key,
  eventId: row.event_id,
  eventType: row.event_type,
  body: row.body,
  status: row.status,
  attempts: row.attempts,
  lastStatusCode: row.last_status_code,
  lastError: row.last_error,
});

export interface AttemptRecord {
  readonly statusCode: number | null;
  readonly error: string | null;
  readonly durationMs: number;
  readonly outcome: 'delivered' | 'retry' | 'dead';
  readonly nextAttemptAt: string | null;
}

export class DeliveryStore {
  private readonly statements;

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.statements = {
      find: db.prepare(
        `SELECT * FROM webhook_deliveries WHERE connection_id = ? AND delivery_key = ? AND body_sha256 = ?`,
      ),
      insert: db.prepare(
        `INSERT INTO webhook_deliveries (connection_id, delivery_key, event_id, event_type, body, body_sha256, status, attempts,
           next_attempt_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)`,
      ),
      get: db.prepare(`SELECT * FROM webhook_deliveries WHERE id = ?`),
      reopen: db.prepare(
        `UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = ? WHERE id = ? AND status = 'dead'`,
      ),
      // Numbered after the history, not the budget: a reopened delivery keeps its earlier attempts.
      attempt: db.prepare(
        `INSERT INTO webhook_delivery_attempts (delivery_id, attempt, at, status_code, error, duration_ms)
         VALUES (@id, (SELECT COALESCE(MAX(attempt), 0) + 1 FROM webhook_delivery_attempts WHERE delivery_id = @id), @at, @statusCode,
           @error, @durationMs)`,
      ),
      update: db.prepare(
        `UPDATE webhook_deliveries SET attempts = ?, status = ?, last_status_code = ?, last_error = ?, next_attempt_at = ?,
           delivered_at = ? WHERE id = ?`,
      ),
      due: db.prepare(
        `SELECT * FROM webhook_deliveries WHERE connection_id = ? AND status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= ?)
         ORDER BY id LIMIT ?`,
      ),
      attempts: db.prepare(
        `SELECT attempt, at, status_code, error, duration_ms FROM webhook_delivery_attempts WHERE delivery_id = ? ORDER BY attempt`,
      ),
    };
  }

  /**
   * The delivery for this key and content: the existing one when the same content was queued before
   * (idempotent), a dead one reopened with a fresh attempt budget (a replay), or a new pending row.
   */
  enqueue(connectionId: string, deliveryKey: string, eventType: string, body: string): Delivery {
    const sha = createHash('sha256').update(body).digest('hex');
    // IMMEDIATE: it reads before it writes (see run-supervision.ts).
    return this.db
      .transaction((): Delivery => {
        const existing = this.statements.find.get(connectionId, deliveryKey, sha) as RawDelivery | undefined;
        const at = this.now().toISOString();
        if (existing !== undefined) {
          if (existing.status === 'dead') this.statements.reopen.run(at, existing.id);
          return this.get(existing.id);
        }
        const result = this.statements.insert.run(
          connectionId,
          deliveryKey,
          `evt_${randomUUID()}`,
          eventType,
          body,
          sha,
          at,
          at,
        );
        return this.get(Number(result.lastInsertRowid));
      })
      .immediate();
  }

  get(id: number): Delivery {
    return fromRaw(this.statements.get.get(id) as RawDelivery);
  }

  /** One attempt and the delivery's new state, in one transaction. */
  recordAttempt(delivery: Delivery, attempt: AttemptRecord): Delivery {
    const at = this.now().toISOString();
    const attempts = delivery.attempts + 1;
    this.db.transaction(() => {
      this.statements.attempt.run({
        id: delivery.id,
        at,
        statusCode: attempt.statusCode,
        error: attempt.error,
        durationMs: attempt.durationMs,
      });
      const status: DeliveryStatus = attempt.outcome === 'retry' ? 'pending' : attempt.outcome;
      this.statements.update.run(
        attempts,
        status,
        attempt.statusCode,
        attempt.error,
        attempt.nextAttemptAt,
        attempt.outcome === 'delivered' ? at : null,
        delivery.id,
      );
    })();
    return this.get(delivery.id);
  }

  /** Pending deliveries whose next attempt is due (crash recovery, scheduled retries). */
  due(connectionId: string, limit: number): Delivery[] {
    return (this.statements.due.all(connectionId, this.now().toISOString(), limit) as RawDelivery[]).map(
      fromRaw,
    );
  }

  attemptsOf(deliveryId: number): {
    attempt: number;
    at: string;
    status_code: number | null;
    error: string | null;
    duration_ms: number;
  }[] {
    return this.statements.attempts.all(deliveryId) as {
      attempt: number;
      at: string;
      status_code: number | null;
      error: string | null;
      duration_ms: number;
    }[];
  }
}
