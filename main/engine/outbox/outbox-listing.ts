import type Database from 'better-sqlite3';
import type { OutboxEntry, OutboxState } from '../../../shared/domain/outage.js';

interface EntryRow {
  seq: number;
  flow_id: string;
  state: OutboxState;
  reason: OutboxEntry['reason'];
  target_key: string;
  order_key: string;
  source_id: string;
  mapping_version: number;
  payload_hash: string;
  payload_json: string;
  queued_at: string;
  settled_at: string | null;
  target_id: string | null;
}

export interface OutboxListQuery {
  readonly flowId: string;
  /** One state, or 'all' for every row the flow still keeps (waiting and settled). */
  readonly state: OutboxState | 'all';
  readonly afterSeq: number;
  readonly limit: number;
}

const COLUMNS = `seq, flow_id, state, reason, target_key, order_key, source_id, mapping_version, payload_hash,
  payload_json, queued_at, settled_at, target_id`;

/**
 * A flow's outbox as `outbox.list` pages it: in sequence order, which is the order the drain sends
 * waiting writes in. Kept apart from the engine's OutboxRepo: this is the console's read, with the
 * payload parsed for display, not the drain's.
 */
export class OutboxListing {
  private readonly q;

  constructor(db: Database.Database) {
    this.q = {
      byState: db.prepare<[string, string, number, number], EntryRow>(
        `SELECT ${COLUMNS} FROM outbox_writes WHERE flow_id = ? AND state = ? AND seq > ? ORDER BY seq LIMIT ?`,
      ),
      all: db.prepare<[string, number, number], EntryRow>(
        `SELECT ${COLUMNS} FROM outbox_writes WHERE flow_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
      ),
    };
  }

  list(query: OutboxListQuery): OutboxEntry[] {
    const rows =
      query.state === 'all'
        ? this.q.all.all(query.flowId, query.afterSeq, query.limit)
        : this.q.byState.all(query.flowId, query.state, query.afterSeq, query.limit);
    return rows.map(toEntry);
  }
}

function toEntry(row: EntryRow): OutboxEntry {
  return {
    seq: row.seq,
    flowId: row.flow_id,
    state: row.state,
    reason: row.reason,
    targetKey: row.target_key,
    orderKey: row.order_key,
    sourceId: row.source_id,
    mappingVersion: row.mapping_version,
    payloadHash: row.payload_hash,
    payload: JSON.parse(row.payload_json) as unknown,
    queuedAt: row.queued_at,
    settledAt: row.settled_at,
    targetId: row.target_id,
  };
}
