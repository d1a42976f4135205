import { z } from 'zod';
import type { ExtractRequest, Source, SourcePage, SourceRecord } from '../types.js';
import { ConnectorError } from '../types.js';
import type { InboundEventRow, InboundEventStore } from './inbound-event-store.js';

/**
 * Accepted inbound events as a Source: the listener has already made them durable, so extraction is a
 * read of `inbound_events` after the committed seq (the cursor), optionally filtered by event type.
 */
const selectorSchema = z.object({ eventType: z.string().min(1).max(200).optional() });

export class InboundWebhookSource implements Source {
  readonly system = 'webhook-in';

  constructor(
    private readonly connectionId: string,
    private readonly events: InboundEventStore,
  ) {}

  async *extract(request: ExtractRequest): AsyncIterable<SourcePage> {
    const selector = selectorSchema.safeParse(request.selector);
    if (!selector.success) {
      throw new ConnectorError(
        'configuration',
        'webhook.bad-selector',
        'The selector takes an optional eventType.',
      );
    }
    let after = parseCursor(request.cursor);
    for (;;) {
      if (request.signal?.aborted === true) return;
      const rows = this.events.listAfter(this.connectionId, after, request.pageSize);
      const last = rows.at(-1);
      if (last === undefined) return;
      after = last.seq;
      const wanted = selector.data.eventType;
      const records = rows.filter((row) => wanted === undefined || row.eventType === wanted).map(toRecord);
      yield { records, cursor: String(after) };
      if (rows.length < request.pageSize) return;
      // Let the event loop serve the listener between pages of a large backlog.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

function parseCursor(cursor: string | null): number {
  if (cursor === null || cursor === '') return 0;
  if (!/^\d{1,15}$/.test(cursor)) {
    throw new ConnectorError(
      'configuration',
      'webhook.bad-cursor',
      `"${cursor}" is not an inbound event position.`,
    );
  }
  return Number(cursor);
}

function toRecord(row: InboundEventRow): SourceRecord {
  let data: unknown = null;
  if (row.body !== null) {
    try {
      data = JSON.parse(row.body) as unknown;
    } catch {
      // The listener stored only JSON; an unreadable body means it was edited in the database.
      throw new ConnectorError(
        'permanent',
        'webhook.corrupt-event',
        `Stored event ${row.eventId} is not JSON any more.`,
      );
    }
  }
  return {
    type: row.eventType,
    sourceId: row.eventId,
    version: row.bodySha256,
    updatedAt: row.receivedAt,
    data,
  };
}
