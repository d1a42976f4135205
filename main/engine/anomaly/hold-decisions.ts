import type Database from 'better-sqlite3';
import type { AnomalyHold } from '../../../shared/domain/flow-anomaly.js';
import { OutboxRepo } from '../outbox/outbox-repo.js';
import { failure } from '../pipeline/send-chunks.js';
import { createBatchCommitter, type RunContext } from '../store/batch-commit.js';
import { AnomalyStore } from './anomaly-store.js';

export type HoldDecision =
  | { readonly ok: true; readonly hold: AnomalyHold; readonly writes: number }
  | { readonly ok: false; readonly why: 'not-found' | 'decided'; readonly hold: AnomalyHold | null };

/**
 * A human's decision on a held batch (issue 12), written on the serving side like degraded mode.
 *
 * - Release: the hold's state only. Its writes are ordinary waiting outbox writes again, so the
 *   flow's next drain (asked for by the caller) sends them, oldest first, before anything newer.
 * - Reject: in one transaction the hold is marked and each of its writes is settled 'failed' into an
 *   exception (code `anomaly.rejected`), recorded by the batch committer exactly as a refused write
 *   would be. Not silently dropped: the source records were read and the cursor moved past them, so
 *   the inbox keeps each one — a person closes them, or replays the few that were right after all.
 *   The run that read them keeps its counts (it did its part: it read and staged them).
 */
export class HoldDecisions {
  private readonly store: AnomalyStore;
  private readonly outbox: OutboxRepo;

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.store = new AnomalyStore(db);
    this.outbox = new OutboxRepo(db);
  }

  release(id: string, by: string, reason: string): HoldDecision {
    return this.db
      .transaction((): HoldDecision => {
        const refused = this.refusal(id);
        if (refused !== null) return refused;
        const writes = this.outbox.heldWrites(id).length;
        this.store.decide(id, 'released', by, this.now().toISOString(), reason);
        return { ok: true, hold: this.must(id), writes };
      })
      .immediate();
  }

  reject(id: string, by: string, reason: string): HoldDecision {
    const commit = createBatchCommitter(this.db, this.now);
    return this.db
      .transaction((): HoldDecision => {
        const refused = this.refusal(id);
        if (refused !== null) return refused;
        const stored = this.store.get(id);
        if (stored === null) return { ok: false, why: 'not-found', hold: null };
        const rows = this.outbox.heldWrites(id);
        const message = `Held as an anomalous batch (${stored.explanation}) and rejected by ${by}: ${reason}`;
        const failed = rows.map((row) => failure(row, 'anomaly.rejected', message));
        const context = JSON.parse(stored.contextJson) as RunContext;
        commit(context, {
          batchNo: 0,
          loaded: [],
          failed,
          // The reading run's counts stay as they were: it read and staged these writes.
          counts: { read: 0, mapped: 0, unchanged: 0, written: 0, failed: 0 },
          settle: rows.map((row) => ({ seq: row.seq, state: 'failed' as const, targetId: null })),
        });
        this.store.decide(id, 'rejected', by, this.now().toISOString(), reason);
        return { ok: true, hold: this.must(id), writes: rows.length };
      })
      .immediate();
  }

  private refusal(id: string): HoldDecision | null {
    const hold = this.store.get(id);
    if (hold === null) return { ok: false, why: 'not-found', hold: null };
    return hold.state === 'held' ? null : { ok: false, why: 'decided', hold };
  }

  private must(id: string): AnomalyHold {
    const hold = this.store.get(id);
    if (hold === null) throw new Error('the hold vanished inside its own transaction');
    const { contextJson: _context, ...visible } = hold;
    return visible;
  }
}
