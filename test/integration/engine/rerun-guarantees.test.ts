import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Target, TargetOutcome, WriteRequest } from '../../../main/connectors/types.js';
import { EngineCore } from '../../../main/engine/runner/engine-core.js';
import { FlowsRepo } from '../../../main/engine/store/flows-repo.js';
import { LineageRepo } from '../../../main/engine/store/lineage-repo.js';
import { RunsRepo } from '../../../main/engine/store/runs-repo.js';
import { openStore } from '../../../main/store/open-store.js';
import type { Store } from '../../../main/store/types.js';
import { AppendableSource, item } from './appendable-source.js';
import { seedItemsFlow } from './items-flow-seed.js';
import { makeTempDir } from '../../support/temp-dir.js';

/**
 * What a second run of a flow owes the first, on a real store, each asserted where a broken engine
 * would show it: the flow's cursor is committed when a run succeeds, the next run reads from that
 * cursor (not from the start), a record whose payload did not change is not sent again, and each
 * lineage row of a key names the row it supersedes (written or failed). Mutation testing found that
 * breaking the supersedes link left every other test green (test/mutation/SURVIVORS.md).
 */
class CountingTarget implements Target {
  readonly system = 'script';
  readonly sent: string[] = [];
  failValue: number | null = null;
  write(request: WriteRequest): Promise<TargetOutcome[]> {
    return Promise.resolve(
      request.records.map((r): TargetOutcome => {
        this.sent.push(`${r.key}=${String(r.payload.value)}`);
        if (r.payload.value === this.failValue)
          return {
            key: r.key,
            ok: false,
            error: { class: 'permanent', code: 'odoo.UserError', message: 'no' },
          };
        return { key: r.key, ok: true, targetId: `id-${r.key}`, created: true };
      }),
    );
  }
}

describe('a flow run after a run', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let store: Store;
  let flowId: string;
  let source: AppendableSource;
  let target: CountingTarget;
  let core: EngineCore;

  async function runOnce(): Promise<string> {
    const run = core.enqueue({ flowId, trigger: 'manual', requestedBy: 'test' });
    await sleep(1);
    await core.idle();
    return run.id;
  }

  beforeEach(() => {
    temp = makeTempDir('osc-rerun-');
    flowId = seedItemsFlow(temp.dir);
    store = openStore({ dataDir: temp.dir, log: { warn: () => undefined } });
    source = new AppendableSource();
    target = new CountingTarget();
    core = new EngineCore({
      store,
      secrets: { read: () => Promise.resolve(null) },
      emit: () => undefined,
      endpoints: {
        source: () => ({ endpoint: source, close: () => Promise.resolve() }),
        target: () => ({ endpoint: target, close: () => Promise.resolve() }),
      },
      retryDelaysMs: [1],
    });
  });
  afterEach(async () => {
    await core.stop();
    store.close();
    temp.cleanup();
  });

  it('commits the cursor, resumes from it, skips unchanged payloads and links each lineage row to the one it supersedes', async () => {
    source.append(item('a', 1), item('b', 1));
    source.append(item('c', 1));
    const first = await runOnce();
    expect(new RunsRepo(store.db).get(first)?.status).toBe('succeeded');
    // The cursor is committed with the run's last page.
    expect(new FlowsRepo(store.db).get(flowId)?.cursor).toBe('2');
    expect(target.sent).toEqual(['item_a=1', 'item_b=1', 'item_c=1']);
    const lineage = new LineageRepo(store.db);
    const firstRows = lineage.byRun(first);
    expect(firstRows.map((row) => [row.targetKey, row.outcome, row.supersedes])).toEqual([
      ['item_a', 'created', null],
      ['item_b', 'created', null],
      ['item_c', 'created', null],
    ]);

    // The source gains a page: a changed a, and b again with the same data.
    source.append(item('a', 2), item('b', 1));
    target.sent.length = 0;
    const second = await runOnce();
    // The second run starts from the committed cursor: it reads only the new page.
    expect(source.requestedCursors).toEqual([null, '2']);
    expect(new RunsRepo(store.db).get(second)?.counts).toEqual({
      read: 2,
      mapped: 2,
      unchanged: 1,
      written: 1,
      failed: 0,
    });
    // b's payload hash equals the one last written: it is not sent again.
    expect(target.sent).toEqual(['item_a=2']);
    expect(new FlowsRepo(store.db).get(flowId)?.cursor).toBe('3');
    const [secondA] = lineage.byRun(second);
    expect(secondA).toMatchObject({ targetKey: 'item_a', outcome: 'created', targetId: 'id-item_a' });
    expect(secondA?.supersedes).toBe(firstRows[0]?.seq);

    // A failed write of a is in the trail too, superseding the row before it.
    source.append(item('a', 3));
    target.failValue = 3;
    const third = await runOnce();
    expect(new RunsRepo(store.db).get(third)?.status).toBe('completed-with-failures');
    const [failedA] = lineage.byRun(third);
    expect(failedA).toMatchObject({ targetKey: 'item_a', outcome: 'failed', errorCode: 'odoo.UserError' });
    expect(failedA?.supersedes).toBe(secondA?.seq);
    expect(lineage.byTarget('x.item', { targetKey: 'item_a' }).entries.map((row) => row.supersedes)).toEqual([
      null,
      firstRows[0]?.seq,
      secondA?.seq,
    ]);
  });
});
