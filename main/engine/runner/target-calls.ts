import type Database from 'better-sqlite3';

/** A target call recorded by an engine that did not see it end (it crashed, or gave up on it). */
export interface LeftCall {
  readonly id: number;
  readonly owner: string;
  readonly records: number;
  readonly sentAt: number;
  readonly timeoutMs: number;
  readonly expectedMs: number;
}

/** A flow's usual call: moving averages of its answered calls. */
export interface CallTiming {
  readonly ms: number;
  readonly records: number;
}

/** Weight of the newest call in the moving averages. */
const ALPHA = 0.3;
/** Margin over the usual duration before a left request counts as finished: 10 %, at least this. */
const MIN_SLACK_MS = 250;
/**
 * Before a flow has any timing (a crash during its very first write): a guess on the slow side of
 * what real targets take (≈ 30 ms per invoice in Odoo 17), rather than the whole timeout.
 */
const FIRST_CALL_BASE_MS = 1000;
const FIRST_CALL_PER_RECORD_MS = 30;

/**
 * How long a call of `records` records most likely runs in the target: the flow's usual call,
 * scaled up for a larger one (never down: a small call still pays the round trip), plus a margin.
 * Not the slowest call seen: after a crash the resumed run waits this long for the dead engine's
 * request, and waiting too little only costs a retry of a colliding row (the connector retries
 * concurrent updates), while waiting too much costs every resume.
 */
export function expectedDurationMs(timing: CallTiming | null, records: number): number {
  if (timing === null) return FIRST_CALL_BASE_MS + records * FIRST_CALL_PER_RECORD_MS;
  const usual = timing.ms * Math.max(1, records / Math.max(1, timing.records));
  return Math.round(usual + Math.max(MIN_SLACK_MS, usual / 10));
}

/**
 * The ledger of target calls in flight (table `target_calls`, migration 004) and of how long a
 * flow's calls usually take. A row is written before a call is sent and removed once it ended, so
 * a row found later belongs to a call whose end nobody saw: its request may still be running in the
 * target (Odoo finishes a request after its client is gone). The run that resumes the flow reads
 * those rows and waits until such a request has most likely finished.
 *
 * Durability: these writes use synchronous=NORMAL. In WAL mode that survives a crash of the process
 * (the case this ledger is for: the WAL is in the OS cache), and only a power cut could lose the
 * last rows, after which no request of ours is running anywhere. It keeps the cost of the ledger at
 * ≈ 0.05 ms a call instead of an fsync (≈ 1.3 ms) before every target call.
 */
export class TargetCalls {
  private readonly q;
  private readonly durable: string;

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number = Date.now,
  ) {
    this.durable = String(db.pragma('synchronous', { simple: true }));
    this.q = {
      insert: db.prepare(
        `INSERT INTO target_calls (flow_id, run_id, owner, records, sent_at, timeout_ms, expected_ms)
         VALUES (@flowId, @runId, @owner, @records, @sentAt, @timeoutMs, @expectedMs)`,
      ),
      remove: db.prepare('DELETE FROM target_calls WHERE id = ?'),
      left: db.prepare<
        [string],
        {
          id: number;
          owner: string;
          records: number;
          sent_at: number;
          timeout_ms: number;
          expected_ms: number;
        }
      >(
        'SELECT id, owner, records, sent_at, timeout_ms, expected_ms FROM target_calls WHERE flow_id = ? ORDER BY id',
      ),
      timing: db.prepare<[string], { typical_ms: number; typical_records: number }>(
        'SELECT typical_ms, typical_records FROM target_call_timing WHERE flow_id = ?',
      ),
      setTiming: db.prepare(
        `INSERT INTO target_call_timing (flow_id, typical_ms, typical_records, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (flow_id) DO UPDATE SET typical_ms = excluded.typical_ms,
           typical_records = excluded.typical_records, updated_at = excluded.updated_at`,
      ),
    };
  }

  /** Records a call about to be sent; returns its row id. */
  begin(call: { flowId: string; runId: string; owner: string; records: number; timeoutMs: number }): number {
    const expectedMs = Math.min(call.timeoutMs, expectedDurationMs(this.timing(call.flowId), call.records));
    return Number(
      this.relaxed(() => this.q.insert.run({ ...call, sentAt: this.now(), expectedMs }).lastInsertRowid),
    );
  }

  /** The call ended with an answer (good or bad): its row goes and it joins the flow's timing. */
  ended(id: number, call: { flowId: string; records: number; durationMs: number }): void {
    const previous = this.timing(call.flowId);
    const blend = (old: number, now: number): number => Math.round(old * (1 - ALPHA) + now * ALPHA);
    const ms = previous === null ? call.durationMs : blend(previous.ms, call.durationMs);
    const records = previous === null ? call.records : blend(previous.records, call.records);
    this.relaxed(() => {
      this.q.remove.run(id);
      this.q.setTiming.run(
        call.flowId,
        Math.round(ms),
        Math.max(1, records),
        new Date(this.now()).toISOString(),
      );
    });
  }

  /** The rows of a flow, except the calls this engine is still waiting on itself. */
  leftBehind(flowId: string, open: ReadonlySet<number>): LeftCall[] {
    return this.q.left
      .all(flowId)
      .filter((row) => !open.has(row.id))
      .map((row) => ({
        id: row.id,
        owner: row.owner,
        records: row.records,
        sentAt: row.sent_at,
        timeoutMs: row.timeout_ms,
        expectedMs: row.expected_ms,
      }));
  }

  /** Until when a left call may still be running in the target: bounded by its own timeout. */
  static busyUntil(call: LeftCall): number {
    return call.sentAt + Math.min(call.expectedMs, call.timeoutMs);
  }

  forget(ids: readonly number[]): void {
    if (ids.length === 0) return;
    this.relaxed(() => {
      for (const id of ids) this.q.remove.run(id);
    });
  }

  timing(flowId: string): CallTiming | null {
    const row = this.q.timing.get(flowId);
    return row === undefined ? null : { ms: row.typical_ms, records: row.typical_records };
  }

  private relaxed<T>(work: () => T): T {
    if (this.db.inTransaction) return work();
    this.db.pragma('synchronous = NORMAL');
    try {
      return this.db.transaction(work).immediate();
    } finally {
      this.db.pragma(`synchronous = ${this.durable}`);
    }
  }
}
