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
import { FlowsRepo } from '../../../main/engine/store/flows-repo.js';
import { openStore } from '../../../main/store/open-store.js';
import type { Store } from '../../../main/store/types.js';
import type { LiveEvent } from '../../../shared/contract/events.js';
import { seedItemsFlow } from './items-flow-seed.js';
import { makeTempDir } from '../../support/temp-dir.js';

/**
 * The engine in process, on a real SQLite store, with a scripted source and target: pause/resume,
 * cancel, per-key ordering with a failing key, and a dead target that must not move the cursor.
 */
const record = (id: string, group: string, value: number): SourceRecord => ({
  type: 'Item',
  sourceId: `Item/${id}`,
  version: String(value),
  updatedAt: null,
  data: { id, group, value },
});

class ScriptedSource {
  readonly system = 'script';
  readonly requests: ExtractRequest[] = [];
  constructor(private readonly pages: readonly SourcePage[]) {}
  async *extract(request: ExtractRequest): AsyncIterable<SourcePage> {
    this.requests.push(request);
    const start = request.cursor === null ? 0 : Number(request.cursor);
    for (const page of this.pages.slice(start)) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      yield page;
    }
  }
}

class ScriptedTarget implements Target {
  readonly system = 'script';
  readonly written: string[] = [];
  down = false;
  failValues = new Set<number>();
  write(request: WriteRequest): Promise<TargetOutcome[]> {
    return Promise.resolve(
      request.records.map((r): TargetOutcome => {
        if (this.down)
          return { key: r.key, ok: false, error: { class: 'transient', code: 'http.503', message: 'down' } };
        if (this.failValues.has(Number(r.payload.value))) {
          return {
            key: r.key,
            ok: false,
            error: { class: 'permanent', code: 'odoo.ValidationError', message: 'bad value' },
          };
        }
        this.written.push(`${r.key}=${String(r.payload.value)}`);
        return { key: r.key, ok: true, targetId: r.key, created: true };
      }),
    );
  }
}

describe('EngineCore', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let store: Store;
  let flowId: string;
  const events: LiveEvent[] = [];

  function engine(
    source: ScriptedSource,
    target: ScriptedTarget,
    extra: { retryDelaysMs?: number[] } = {},
  ): EngineCore {
    return new EngineCore({
      store,
      secrets: { read: () => Promise.resolve(null) },
      emit: (event) => events.push(event),
      endpoints: {
        source: () => ({ endpoint: source, close: () => Promise.resolve() }),
        target: () => ({ endpoint: target, close: () => Promise.resolve() }),
      },
      retryDelaysMs: extra.retryDelaysMs ?? [1],
    });
  }

  beforeEach(() => {
    temp = makeTempDir('osc-core-engine-');
    flowId = seedItemsFlow(temp.dir, { orderingKey: 'group' });
    store = openStore({ dataDir: temp.dir, log: { warn: () => undefined } });
    events.length = 0;
  });
  afterEach(() => {
    store.close();
    temp.cleanup();
  });

  it('a failing ordering key holds back its later records only; the cursor commits with the page', async () => {
    const source = new ScriptedSource([
      {
        records: [record('1', 'g1', 1), record('2', 'g2', 2), record('3', 'g1', 3), record('4', 'g3', 4)],
        cursor: '1',
      },
    ]);
    const target = new ScriptedTarget();
    target.failValues.add(1);
    const core = engine(source, target);
    const run = core.enqueue({ flowId, trigger: 'manual', requestedBy: 'test' });
    await new Promise((resolve) => setTimeout(resolve, 1));
    await core.idle();
    const done = new RunsRepo(store.db).get(run.id)!;
    expect(done.status).toBe('completed-with-failures');
    expect(done.counts).toEqual({ read: 4, mapped: 4, unchanged: 0, written: 2, failed: 2 });
    expect(target.written).toEqual(['item_2=2', 'item_4=4']);
    const failures = new RunsRepo(store.db).failures(run.id, 0, 10);
    expect(failures.map((f) => [f.sourceId, f.errorCode])).toEqual([
      ['Item/1', 'odoo.ValidationError'],
      ['Item/3', 'engine.held-back'],
    ]);
    expect(new FlowsRepo(store.db).get(flowId)?.cursor).toBe('1');
    expect(events.some((e) => e.type === 'runs.failure' && e.sourceId === 'Item/1')).toBe(true);
    expect(events.filter((e) => e.type === 'runs.progress').at(-1)).toMatchObject({
      progress: { status: 'completed-with-failures' },
    });
  });

  it('a target that is down stops the run without failures and without moving the cursor', async () => {
    const source = new ScriptedSource([{ records: [record('1', 'a', 1)], cursor: '1' }]);
    const target = new ScriptedTarget();
    target.down = true;
    const core = engine(source, target);
    const run = core.enqueue({ flowId, trigger: 'manual', requestedBy: 'test' });
    await new Promise((resolve) => setTimeout(resolve, 1));
    await core.idle();
    const done = new RunsRepo(store.db).get(run.id)!;
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/http\.503/);
    expect(new RunsRepo(store.db).failures(run.id, 0, 10)).toEqual([]);
    expect(new FlowsRepo(store.db).get(flowId)?.cursor).toBeNull();
    // Once it is back, the same records go through, and a rerun finds them unchanged.
    target.down = false;
    const retry = core.enqueue({ flowId, trigger: 'manual', requestedBy: 'test' });
    await new Promise((resolve) => setTimeout(resolve, 1));
    await core.idle();
    expect(new RunsRepo(store.db).get(retry.id)?.counts.written).toBe(1);
    const backfill = core.enqueue({
      flowId,
      trigger: 'backfill',
      requestedBy: 'test',
      backfillFrom: '2000-01-01',
    });
    await new Promise((resolve) => setTimeout(resolve, 1));
    await core.idle();
    expect(new RunsRepo(store.db).get(backfill.id)?.counts).toMatchObject({
      read: 1,
      unchanged: 1,
      written: 0,
    });
  });

  it('pause waits between batches, resume goes on, cancel stops after the current batch', async () => {
    const pages = Array.from({ length: 30 }, (_, page) => ({
      records: [record(`p${page}`, `g${page}`, page)],
      cursor: String(page + 1),
    }));
    const target = new ScriptedTarget();
    const core = engine(new ScriptedSource(pages), target);
    const run = core.enqueue({ flowId, trigger: 'manual', requestedBy: 'test' });
    await new Promise((resolve) => setTimeout(resolve, 30));
    core.pause(run.id);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const whilePaused = target.written.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(target.written.length).toBe(whilePaused);
    expect(new RunsRepo(store.db).get(run.id)?.status).toBe('paused');
    core.resume(run.id);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(target.written.length).toBeGreaterThan(whilePaused);
    core.cancel(run.id);
    await core.idle();
    const done = new RunsRepo(store.db).get(run.id)!;
    expect(done.status).toBe('cancelled');
    expect(done.counts.written).toBe(target.written.length);
    expect(done.counts.written).toBeLessThan(30);
    // The cursor is exactly the last durable page: the next run starts right after it.
    expect(new FlowsRepo(store.db).get(flowId)?.cursor).toBe(String(done.counts.written));
    expect(() => core.pause(run.id)).toThrow(/running/);
  });

  it('an engine shut down mid-run leaves the run to be resumed by the next engine, with nothing lost or doubled', async () => {
    const pages = Array.from({ length: 40 }, (_, page) => ({
      records: [record(`s${page}`, `g${page}`, page)],
      cursor: String(page + 1),
    }));
    const target = new ScriptedTarget();
    const first = engine(new ScriptedSource(pages), target);
    const run = first.enqueue({ flowId, trigger: 'manual', requestedBy: 'test' });
    await new Promise((resolve) => setTimeout(resolve, 40));
    await first.stop();
    expect(new RunsRepo(store.db).get(run.id)?.status).toBe('running');
    const written = target.written.length;
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(40);

    const second = engine(new ScriptedSource(pages), target);
    const resumed = second.recover();
    expect(resumed.map((r) => r.trigger)).toEqual(['resume']);
    await new Promise((resolve) => setTimeout(resolve, 1));
    await second.idle();
    expect(new RunsRepo(store.db).get(run.id)?.status).toBe('interrupted');
    expect(new RunsRepo(store.db).get(resumed[0]!.id)?.status).toBe('succeeded');
    expect(new Set(target.written).size).toBe(target.written.length);
    expect(target.written).toHaveLength(40);
  });
});
