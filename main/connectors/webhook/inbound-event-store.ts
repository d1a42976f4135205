import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';

/**
 * The `inbound_events` table (migration 002): every accepted webhook, committed before the sender gets
 * its 2xx. The (connection, event id) uniqueness is the replay guard: a second insert of the same id
 * changes nothing and is reported as a replay.
 */
export interface InboundEventInsert {
  readonly connectionId: string;
  readonly sourceName: string;
  readonly channel: 'webhook' | 'fhir-rest-hook';
  readonly eventId: string;
  readonly eventType: string;
  readonly signedAt: number | null;
  readonly contentType: string;
  readonly body: Buffer;
}

export interface InboundEventRow {
  readonly seq: number;
  readonly connectionId: string;
  readonly sourceName: string;
  readonly channel: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly signedAt: number | null;
  readonly receivedAt: string;
  readonly contentType: string;
  readonly bodySha256: string;
  readonly body: string | null;
}

interface RawRow {
  seq: number;
  connection_id: string;
  source_name: string;
  channel: string;
  event_id: string;
  event_type: string;
  signed_at: number | null;
  received_at: string;
  content_type: string;
  body_sha256: string;
  body: string | null;
}

export class InboundEventStore {
  private readonly insertStatement: Database.Statement;
  private readonly afterStatement: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.insertStatement = db.prepare(
      `INSERT INTO inbound_events (connection_id, source_name, channel, event_id, event_type, signed_at, received_at,
         content_type, body_sha256, body)
       VALUES (@connectionId, @sourceName, @channel, @eventId, @eventType, @signedAt, @receivedAt, @contentType, @bodySha256, @body)
       ON CONFLICT (connection_id, event_id) DO NOTHING`,
    );
    this.afterStatement = db.prepare(
      `SELECT * FROM inbound_events WHERE connection_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
    );
  }

  /** The new row's seq, or null when this event id was already stored (a replay). */
  insert(event: InboundEventInsert): number | null {
    const result = this.insertStatement.run({
      connectionId: event.connectionId,
      sourceName: event.sourceName,
      channel: event.channel,
      eventId: event.eventId,
      eventType: event.eventType,
      signedAt: event.signedAt,
      receivedAt: this.now().toISOString(),
      contentType: event.contentType,
      bodySha256: createHash('sha256').update(event.body).digest('hex'),
      body: event.body.length === 0 ? null : event.body.toString('utf8'),
    });
    return result.changes === 0 ? null : Number(result.lastInsertRowid);
  }

  listAfter(connectionId: string, afterSeq: number, limit: number): InboundEventRow[] {
    return (this.afterStatement.all(connectionId, afterSeq, limit) as RawRow[]).map((row) => ({
      seq: row.seq,
      connectionId: row.connection_id,
      sourceName: row.source_name,
      channel: row.channel,
      eventId: row.event_id,
      eventType: row.event_type,
      signedAt: row.signed_at,
      receivedAt: row.received_at,
      contentType: row.content_type,
      bodySha256: row.body_sha256,
      body: row.body,
    }));
  }
}
