import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  ExtractRequest,
  SourcePage,
  SourceRecord,
  Target,
  TargetOutcome,
  WriteRequest,
} from '../../../main/connectors/types.js';
import { EngineCore } from '../../../main/engine/runner/engine-core.js';
import { RunsRepo } from '../../../main/engine/store/runs-repo.js';
import { openStore } from '../../../main/store/open-store.js';
import type { Store } from '../../../main/store/types.js';
import { seedItemsFlow } from './items-flow-seed.js';
import { makeTempDir } from '../../support/temp-dir.js';

/**
 * The engine tells the target which target ids it recorded for the keys of a chunk (so the Odoo
 * connector can check those records, e.g. refuse a posted invoice), and a `conflict` outcome is a
 * per-record failure for a person: stored with its class, never retried as if the target were down.
 */

const record = (id: string, value: number): SourceRecord => ({
  type: 'Item',
  sourceId: `Item/${id}`,
  version: String(value),
  updatedAt: null,
  data: { id, value },
});

class PagedSource {
  readonly system = 'script';
  constructor(private readonly pages: readonly SourcePage[]) {}
  async *extract(request: ExtractRequest): AsyncIterable<SourcePage> {
    for (const page of this.pages.slice(request.cursor === null ? 0 : Number(request.cursor))) {
      await Promise.resolve();
      yield page;
    }
  }
}

class RecordingTarget implements Target {
  readonly system = 'script';
  readonly requests: WriteRequest[] = [];
  readonly conflicts = new Set<string>();
  write(request: WriteRequest): Promise<TargetOutcome[]> {
    this.requests.push(request);
    return Promise.resolve(
      request.records.map((r): TargetOutcome =>
        this.conflicts.has(r.key)
          ? {
              key: r.key,
              ok: false,
              error: { class: 'conflict', code: 'odoo.posted', message: 'Invoice X is posted in Odoo' },
            }
          : { key: r.key, ok: true, targetId: `odoo-${r.key}`, created: true },
      ),
    );
  }
}

describe('known target ids and conflicts in the engine', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let store: Store;
  let flowId: string;

  beforeEach(() => {
    temp = makeTempDir('osc-known-ids-');
    flowId = seedItemsFlow(temp.dir);
    store = openStore({ dataDir: temp.dir, log: { warn: () => undefined } });
  });
  afterEach(() => {
    store.close();
    temp.cleanup();
  });

  async function runOnce(source: PagedSource, target: RecordingTarget) {
    const core = new EngineCore({
      store,
      secrets: { read: () => Promise.resolve(null) },
      emit: () => undefined,
      endpoints: {
        source: () => ({ endpoint: source, close: () => Promise.resolve() }),
        target: () => ({ endpoint: target, close: () => Promise.resolve() }),
      },
      retryDelaysMs: [1, 1],
    });
    const run = core.enqueue({ flowId, trigger: 'manual', requestedBy: 'test' });
    await new Promise((resolve) => setTimeout(resolve, 1));
    await core.idle();
    return new RunsRepo(store.db).get(run.id)!;
  }

  it('passes the ids recorded by earlier writes, and files a conflict without retrying it', async () => {
    const firstPage = { records: [record('1', 1), record('2', 2)], cursor: '1' };
    const secondPage = { records: [record('1', 10), record('3', 3)], cursor: '2' };
    const first = new RecordingTarget();
    const firstRun = await runOnce(new PagedSource([firstPage]), first);
    expect(firstRun.status).toBe('succeeded');
    expect(first.requests[0]?.knownTargetIds).toEqual(new Map());

    const second = new RecordingTarget();
    second.conflicts.add('item_1');
    const secondRun = await runOnce(new PagedSource([firstPage, secondPage]), second);
    expect(second.requests).toHaveLength(1); // a conflict is not a reason to retry the chunk
    expect(second.requests[0]?.records.map((r) => r.key)).toEqual(['item_1', 'item_3']);
    expect(second.requests[0]?.knownTargetIds).toEqual(new Map([['item_1', 'odoo-item_1']]));
    expect(secondRun.status).toBe('completed-with-failures');
    const failures = new RunsRepo(store.db).failures(secondRun.id, 0, 10);
    expect(failures.map((f) => [f.sourceId, f.errorClass, f.errorCode, f.errorMessage])).toEqual([
      ['Item/1', 'conflict', 'odoo.posted', 'Invoice X is posted in Odoo'],
    ]);
  });

  it('does not retry a chunk whose every record is a conflict', async () => {
    const target = new RecordingTarget();
    target.conflicts.add('item_1').add('item_2');
    const run = await runOnce(
      new PagedSource([{ records: [record('1', 1), record('2', 2)], cursor: '1' }]),
      target,
    );
    expect(target.requests).toHaveLength(1);
    expect(run.status).toBe('completed-with-failures');
    expect(run.counts.failed).toBe(2);
  });
});
