import type { ExtractRequest, Source, SourcePage, SourceRecord } from '../../connectors/types.js';
import type { ReplayPages } from '../store/replay-pages.js';

/**
 * The source of a replay run: the stored payloads of the run's exceptions (or their edits), read
 * from the store page by page instead of from the source system. Everything after extraction (map,
 * validate, skip unchanged, upsert by external id, lineage, exception resolution) is the ordinary
 * pipeline. It names the flow's source system, so lineage reads as for any run of the flow.
 * Records come in store order (see ReplayPages: it keeps each batch commit's pages together).
 */
export class ReplaySource implements Source {
  constructor(
    readonly system: string,
    private readonly runId: string,
    private readonly pages: ReplayPages,
  ) {}

  async *extract(request: ExtractRequest): AsyncIterable<SourcePage> {
    request.signal?.throwIfAborted();
    const order = this.pages.order(this.runId);
    for (let from = 0; from < order.length; from += request.pageSize) {
      request.signal?.throwIfAborted();
      const rows = this.pages.rows(this.runId, order.slice(from, from + request.pageSize));
      const records = rows.map((row): SourceRecord => ({
        type: row.source_type,
        sourceId: row.source_id,
        version: row.version,
        updatedAt: null,
        data: JSON.parse(row.payload) as unknown,
      }));
      // The cursor is never committed (a replay leaves the flow's cursor where it is).
      if (records.length > 0) yield { records, cursor: null };
      // Lets the pipeline commit between pages without this generator holding the thread.
      await Promise.resolve();
    }
  }
}
