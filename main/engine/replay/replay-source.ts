import type { ExtractRequest, Source, SourcePage, SourceRecord } from '../../connectors/types.js';
import type { ReplayRepo } from '../store/replay-repo.js';

/**
 * The source of a replay run: the stored payloads of the run's exceptions (or their edits), read
 * from the store page by page instead of from the source system. Everything after extraction (map,
 * validate, skip unchanged, upsert by external id, lineage, exception resolution) is the ordinary
 * pipeline. It names the flow's source system, so lineage reads as for any run of the flow.
 */
export class ReplaySource implements Source {
  constructor(
    readonly system: string,
    private readonly runId: string,
    private readonly replays: ReplayRepo,
  ) {}

  async *extract(request: ExtractRequest): AsyncIterable<SourcePage> {
    let after = '';
    for (;;) {
      request.signal?.throwIfAborted();
      const rows = this.replays.page(this.runId, after, request.pageSize);
      if (rows.length === 0) return;
      after = rows[rows.length - 1]?.exception_id ?? after;
      const records = rows.map((row): SourceRecord => ({
        type: row.source_type,
        sourceId: row.source_id,
        version: row.version,
        updatedAt: null,
        data: JSON.parse(row.payload) as unknown,
      }));
      // The cursor is never committed (a replay leaves the flow's cursor where it is).
      yield { records, cursor: null };
      // Lets the pipeline commit between pages without this generator holding the thread.
      await Promise.resolve();
    }
  }
}
