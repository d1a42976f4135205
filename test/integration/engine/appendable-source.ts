import { setTimeout as sleep } from 'node:timers/promises';
import type { ExtractRequest, SourcePage, SourceRecord } from '../../../main/connectors/types.js';

/** An Item record of the items flow (test/integration/engine/items-flow-seed.ts); its version is its value. */
export const item = (id: string, value: unknown): SourceRecord => ({
  type: 'Item',
  sourceId: `Item/${id}`,
  version: String(value),
  updatedAt: null,
  data: { id, value },
});

/**
 * A source of pages addressed by index: the cursor after page N is "N+1", and pages may be appended
 * between runs. It records the cursor each run asked from and counts the pages it handed out, so a
 * test sees a run that starts from scratch or reads the source when it should not.
 */
export class AppendableSource {
  readonly system = 'script';
  readonly pages: SourcePage[] = [];
  readonly requestedCursors: (string | null)[] = [];
  reads = 0;
  async *extract(request: ExtractRequest): AsyncIterable<SourcePage> {
    this.requestedCursors.push(request.cursor);
    for (const page of this.pages.slice(request.cursor === null ? 0 : Number(request.cursor))) {
      this.reads += 1;
      await sleep(1);
      yield page;
    }
  }
  append(...records: SourceRecord[]): void {
    this.pages.push({ records, cursor: String(this.pages.length + 1) });
  }
}
