import type Database from 'better-sqlite3';
import type { MappedRecord } from '../pipeline/map-page.js';
import type { RunContext } from '../store/batch-commit.js';

/** Why a write went to the outbox instead of its target. */
export type DeferReason = 'breaker' | 'degraded' | 'behind';

/** A waiting write, ready to be sent again exactly as it was mapped. */
export interface OutboxWrite extends MappedRecord {
  readonly seq: number;
  readonly mappingId: string;
  readonly mappingVersion: number;
  readonly queuedAt: string;
  /** The run that put it in the outbox (a watched run drains its own staged batch once judged). */
  readonly runId: string;
}

export type SettledState = 'sent' | 'unchanged' | 'failed';

export interface OutboxDepth {
  readonly flowId: string;
  readonly connectionId: string;
  readonly waiting: number;
  /** Of those, the writes of a batch held as anomalous and not yet decided (issue 12). */
  readonly held: number;
  readonly oldestQueuedAt: string;
}

interface WriteRow {
  seq: number;
  flow_id: string;
  order_key: string;
  target_key: string;
  source_type: string;
  source_id: string;
  source_version: string;
  source_updated_at: string | null;
  source_json: string;
  source_hash: string;
  payload_json: string;
  payload_hash: string;
  mapping_id: string;
  mapping_version: number;
  queued_at: string;
  run_id: string;
}

/** The first write of the flow's earliest batch held as anomalous (bind: the flow id), or no limit. */
const BARRIER = `coalesce((SELECT min(first_seq) FROM anomaly_holds WHERE flow_id = ? AND state = 'held'), 9223372036854775807)`;
/** A waiting write not at or behind a held batch of its flow. */
const NOT_HELD = `NOT EXISTS (SELECT 1 FROM anomaly_holds h WHERE h.flow_id = outbox_writes.flow_id
  AND h.state = 'held' AND h.first_seq <= outbox_writes.seq)`;

/** What a write needs to be sent again, or to become an exception. */
const WRITE_COLUMNS = `seq, flow_id, order_key, target_key, source_type, source_id, source_version, source_updated_at,
  source_json, source_hash, payload_json, payload_hash, mapping_id, mapping_version, queued_at, run_id`;

/**
 * The outbox table (migration 011) seen from the engine: writes go in inside a batch's transaction
 * (with the cursor that read them), come out in sequence order per flow, and are settled inside the
 * transaction that writes their lineage. Every statement is prepared once: a drain reads thousands.
 */
export class OutboxRepo {
  private readonly q;

  constructor(db: Database.Database) {
    this.q = {
      insert: db.prepare(
        `INSERT INTO outbox_writes (flow_id, connection_id, run_id, order_key, target_key, source_type, source_id,
           source_version, source_updated_at, source_json, source_hash, payload_json, payload_hash, mapping_id,
           mapping_version, reason, queued_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      // A batch held as anomalous (migration 013) is a barrier: the drain stops before its first write.
      page: db.prepare<[string, number, string, number], WriteRow>(
        `SELECT ${WRITE_COLUMNS} FROM outbox_writes WHERE flow_id = ? AND state = 'waiting' AND seq > ? AND seq < ${BARRIER}
         ORDER BY seq LIMIT ?`,
      ),
      settle: db.prepare(
        "UPDATE outbox_writes SET state = ?, settled_at = ?, settled_run_id = ?, target_id = ? WHERE seq = ? AND state = 'waiting'",
      ),
      hasWaiting: db.prepare<[string, string], { one: number }>(
        `SELECT 1 AS one FROM outbox_writes WHERE flow_id = ? AND state = 'waiting' AND seq < ${BARRIER} LIMIT 1`,
      ),
      waitingCount: db.prepare<[string], { n: number }>(
        "SELECT count(*) AS n FROM outbox_writes WHERE flow_id = ? AND state = 'waiting'",
      ),
      depths: db.prepare<
        [],
        { flow_id: string; connection_id: string; waiting: number; held: number; oldest: string }
      >(
        `SELECT flow_id, connection_id, count(*) AS waiting, min(queued_at) AS oldest,
           count(*) FILTER (WHERE hold_id IN (SELECT id FROM anomaly_holds WHERE state = 'held')) AS held
         FROM outbox_writes WHERE state = 'waiting' GROUP BY flow_id, connection_id ORDER BY flow_id`,
      ),
      held: db.prepare<[string], WriteRow>(
        `SELECT ${WRITE_COLUMNS} FROM outbox_writes WHERE hold_id = ? AND state = 'waiting' ORDER BY seq`,
      ),
      waitingHashes: db.prepare<[string, string], { target_key: string; payload_hash: string }>(
        `SELECT target_key, payload_hash FROM outbox_writes WHERE flow_id = ? AND state = 'waiting'
           AND target_key IN (SELECT value FROM json_each(?)) ORDER BY seq`,
      ),
      flowsWaitingOn: db.prepare<[string], { flow_id: string }>(
        `SELECT DISTINCT flow_id FROM outbox_writes WHERE state = 'waiting' AND connection_id = ? AND ${NOT_HELD}
         ORDER BY flow_id`,
      ),
      flowsWaiting: db.prepare<[], { flow_id: string }>(
        `SELECT DISTINCT flow_id FROM outbox_writes WHERE state = 'waiting' AND ${NOT_HELD} ORDER BY flow_id`,
      ),
    };
  }

  /** Queues a chunk's records; runs inside the batch transaction that commits the page's cursor. */
  defer(
    context: RunContext,
    connectionId: string,
    reason: DeferReason,
    records: readonly MappedRecord[],
    at: string,
  ): void {
    for (const record of records) {
      this.q.insert.run(
        context.flowId,
        connectionId,
        context.runId,
        record.orderKey,
        record.key,
        record.source.type,
        record.source.sourceId,
        record.source.version,
        record.source.updatedAt ?? null,
        record.sourceJson,
        record.sourceHash,
        record.payloadJson,
        record.payloadHash,
        context.mappingId,
        context.mappingVersion,
        reason,
        at,
      );
    }
  }

  /** The next waiting writes of a flow after `afterSeq`, oldest first. */
  waitingPage(flowId: string, afterSeq: number, limit: number): OutboxWrite[] {
    return this.q.page.all(flowId, afterSeq, flowId, limit).map(toWrite);
  }

  /** The waiting writes of a held batch (issue 12), oldest first. */
  heldWrites(holdId: string): OutboxWrite[] {
    return this.q.held.all(holdId).map(toWrite);
  }

  /** Settles one write; inside the transaction that writes its lineage (or its exception). */
  settle(seq: number, state: SettledState, runId: string, targetId: string | null, at: string): void {
    this.q.settle.run(state, at, runId, targetId, seq);
  }

  /** Whether the flow has waiting writes its drain may send now (none of them behind a held batch). */
  hasWaiting(flowId: string): boolean {
    return this.q.hasWaiting.get(flowId, flowId) !== undefined;
  }

  /** Every waiting write of the flow, those behind a held batch included. */
  waitingCount(flowId: string): number {
    return this.q.waitingCount.get(flowId)?.n ?? 0;
  }

  depths(): OutboxDepth[] {
    return this.q.depths.all().map((row) => ({
      flowId: row.flow_id,
      connectionId: row.connection_id,
      waiting: row.waiting,
      held: row.held,
      oldestQueuedAt: row.oldest,
    }));
  }

  /** Flows with sendable waiting writes whose target is this connection (drained when it answers). */
  flowsWaitingOn(connectionId: string): string[] {
    return this.q.flowsWaitingOn.all(connectionId).map((row) => row.flow_id);
  }

  /**
   * What a key will hold once the outbox is sent: the payload hash of its newest waiting write. A run
   * reading the source compares with this, not with what was last written: a record back at the
   * written value while a newer one waits is a change (it must land after the waiting one).
   */
  newestWaitingHashes(flowId: string, keys: readonly string[]): Map<string, string> {
    const newest = new Map<string, string>();
    if (keys.length === 0) return newest;
    for (const row of this.q.waitingHashes.all(flowId, JSON.stringify(keys))) {
      newest.set(row.target_key, row.payload_hash);
    }
    return newest;
  }

  flowsWaiting(): string[] {
    return this.q.flowsWaiting.all().map((row) => row.flow_id);
  }
}

function toWrite(row: WriteRow): OutboxWrite {
  return {
    seq: row.seq,
    source: {
      type: row.source_type,
      sourceId: row.source_id,
      version: row.source_version,
      updatedAt: row.source_updated_at,
    },
    sourceJson: row.source_json,
    sourceHash: row.source_hash,
    key: row.target_key,
    orderKey: row.order_key,
    payload: JSON.parse(row.payload_json) as Record<string, unknown>,
    payloadJson: row.payload_json,
    payloadHash: row.payload_hash,
    mappingId: row.mapping_id,
    mappingVersion: row.mapping_version,
    queuedAt: row.queued_at,
    runId: row.run_id,
  };
}
