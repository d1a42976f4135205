import type { Connection } from '../../../shared/domain/connection.js';
import type { Flow } from '../../../shared/domain/flow.js';
import type { ShadowWindow } from '../../../shared/domain/shadow.js';
import { ConnectorError, type SourceRecord } from '../../connectors/types.js';
import type { SecretReader } from '../../vault/types.js';
import type Database from 'better-sqlite3';
import { backfillCursor, createSource } from '../connectors/flow-endpoints.js';

/**
 * The source window of a shadow run: the flow's source read from `since` (or from its beginning),
 * keeping the last `limit` records. The flow's cursor is neither read nor committed: the read
 * starts from a cursor of its own, so the flow's next real run reads exactly what it would have.
 */

/** Reading stops after this many records whatever the window: a shadow run is a sample, not a backfill. */
export const MAX_SCANNED = 50_000;

export function assertShadowSource(connection: Connection): void {
  // A CSV drop's read moves each file to its archive: reading it would take files from the flow.
  if (connection.kind === 'csv-drop')
    throw new ConnectorError(
      'configuration',
      'shadow.source-consumed',
      `A CSV drop folder ("${connection.name}") hands each file over once: a shadow run cannot read it without taking files from the flow.`,
    );
}

export async function readShadowWindow(
  flow: Flow,
  connection: Connection,
  window: ShadowWindow,
  deps: { readonly secrets: SecretReader; readonly db: Database.Database; readonly signal: AbortSignal },
): Promise<{ records: SourceRecord[]; scanned: number; truncated: boolean }> {
  assertShadowSource(connection);
  const source = createSource(connection, deps.secrets, deps.db);
  const kept: SourceRecord[] = [];
  let scanned = 0;
  let truncated = false;
  try {
    const cursor = window.since === null ? null : backfillCursor(connection, window.since);
    for await (const page of source.endpoint.extract({
      selector: flow.sourceSelector,
      cursor,
      pageSize: flow.batchSize,
      signal: deps.signal,
    })) {
      for (const record of page.records) {
        kept.push(record);
        if (kept.length > window.limit) kept.shift();
      }
      scanned += page.records.length;
      if (scanned >= MAX_SCANNED) {
        truncated = true;
        break;
      }
    }
  } finally {
    await source.close();
  }
  return { records: kept, scanned, truncated };
}
