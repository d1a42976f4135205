import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
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
import { processStart } from '../../../main/engine/runner/lease-owner.js';
import { RunsRepo } from '../../../main/engine/store/runs-repo.js';
import { openStore } from '../../../main/store/open-store.js';
import type { Store } from '../../../main/store/types.js';
import type { Run } from '../../../shared/domain/run.js';
import { seedItemsFlow } from './items-flow-seed.js';
import { makeTempDir } from '../../support/temp-dir.js';

/**
 * The run lifecycle around crashes, on a real store: a run whose engine is gone never stays
 * "running" (dead process, pid taken by another process, expired lease), runs.cancel answers what
 * runs.list shows, a queued run starts from the flow's cursor of its start, and a write left in
 * flight by a dead engine is waited out before the resumed run writes.
 */
const PAGES = 6;
const record = (n: number): SourceRecord => ({
  type: 'Item',
  sourceId: `Item/${n}`,
  version: '1',
  updatedAt: null,
  data: { id: String(n), value: n },
});
const pages: SourcePage[] = Array.from({ length: PAGES }, (_, page) => ({
  records: [record(page * 2), record(page * 2 + 1)],
  cursor: String(page + 1),
}));

class PagedSource {
  readonly system = 'script';
  async *extract(request: ExtractRequest): AsyncIterable<SourcePage> {
    for (const page of pages.slice(request.cursor === null ? 0 : Number(request.cursor))) {
      await sleep(2);
      yield page;
    }
  }
}

class RecordingTarget implements Target {
  readonly system = 'script';
  readonly written: string[] = [];
  readonly writeTimes: number[] = [];
  delayMs = 0;
  async write(request: WriteRequest): Promise<TargetOutcome[]> {
    this.writeTimes.push(Date.now());
    if (this.delayMs > 0) await sleep(this.delayMs);
    return request.records.map((r) => {
      this.written.push(r.key);
      return { key: r.key, ok: true, targetId: r.key, created: true };
    });
  }
}

describe('run lifecycle across crashes', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let store: Store;
  let runs: RunsRepo;
  let flowId: string;
  let target: RecordingTarget;
  const cores: EngineCore[] = [];
  const children: ChildProcess[] = [];

  function engine(options: { superviseEveryMs?: number } = {}): EngineCore {
    const core = new EngineCore({
      store,
      secrets: { read: () => Promise.resolve(null) },
      emit: () => undefined,
      superviseEveryMs: options.superviseEveryMs ?? 50,
      endpoints: {
        source: () => ({ endpoint: new PagedSource(), close: () => Promise.resolve() }),
        target: () => ({ endpoint: target, close: () => Promise.resolve() }),
      },
      retryDelaysMs: [1],
    });
    cores.push(core);
    return core;
  }

  /** A run left behind as if by an engine in another process that is now `owner`. */
  function leftRun(owner: string, leaseUntil: Date, status: 'running' | 'paused' = 'running'): Run {
    const run = runs.create({
      flowId,
      trigger: 'manual',
      requestedBy: 'test',
      mappingId: store.db.prepare<[], { id: string }>('SELECT id FROM mappings').get()!.id,
      mappingVersion: 1,
      cursorBefore: null,
      backfillFrom: null,
    });
    runs.start(run.id);
    if (status === 'paused') runs.setStatus(run.id, 'paused');
    store.db
      .prepare('UPDATE flows SET lease_owner = ?, lease_until = ? WHERE id = ?')
      .run(owner, leaseUntil.toISOString(), flowId);
    return runs.get(run.id)!;
  }

  async function until(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
      await sleep(10);
    }
  }

  const statusOf = (runId: string) => runs.get(runId)?.status;
  const inAnHour = () => new Date(Date.now() + 3_600_000);

  beforeEach(() => {
    temp = makeTempDir('osc-lifecycle-');
    flowId = seedItemsFlow(temp.dir, { batchSize: 2, targetTimeoutMs: 5000 });
    store = openStore({ dataDir: temp.dir, log: { warn: () => undefined } });
    runs = new RunsRepo(store.db);
    target = new RecordingTarget();
  });

  afterEach(async () => {
    for (const core of cores.splice(0)) await core.stop();
    for (const child of children.splice(0)) child.kill('SIGKILL');
    store.close();
    temp.cleanup();
  });

  it('leaves a live console process its run; once that process dies, resumes it by itself', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    children.push(child);
    const pid = child.pid!;
    await until('the child runs', () => existsSync(`/proc/${pid}`) || process.platform !== 'linux');
    const left = leftRun(`${pid}:${processStart(pid) ?? '-'}:other`, inAnHour());
    const core = engine();
    expect(core.recover()).toEqual([]);
    await sleep(150);
    // Alive: its run is its own. runs.list shows it running, and cancel says who runs it.
    expect(statusOf(left.id)).toBe('running');
    expect(() => core.cancel(left.id)).toThrow(new RegExp(`Console process ${pid} is running this run`));
    const queued = core.enqueue({ flowId, trigger: 'manual', requestedBy: 'test' });
    await sleep(150);
    expect(statusOf(queued.id)).toBe('queued');

    child.kill('SIGKILL');
    await until(
      'the left run is interrupted and the queued run finishes',
      () => statusOf(queued.id) === 'succeeded',
    );
    expect(statusOf(left.id)).toBe('interrupted');
    // The queued run was the resume: no second run was created for the flow.
    expect(
      runs
        .list(flowId, 10)
        .map((run) => run.id)
        .sort(),
    ).toEqual([left.id, queued.id].sort());
    expect(target.written).toHaveLength(PAGES * 2);
    expect(() => core.cancel(left.id)).toThrow('That run has already finished.');
    expect(() => core.cancel(queued.id)).toThrow('That run has already finished.');
  });

  it.runIf(existsSync('/proc/self/stat'))(
    'a pid now held by another process does not keep a dead engine its run',
    async () => {
      // Our parent is alive, but it is not the process that took this lease: its start time differs.
      const left = leftRun(`${process.ppid}:1:dead-engine`, inAnHour());
      const core = engine({ superviseEveryMs: 0 });
      const resumed = core.recover();
      expect(statusOf(left.id)).toBe('interrupted');
      expect(resumed.map((run) => run.trigger)).toEqual(['resume']);
      await core.idle();
      expect(statusOf(resumed[0]!.id)).toBe('succeeded');
      expect(target.written).toHaveLength(PAGES * 2);
    },
  );

  it('an expired lease frees a run even when its pid is alive, a paused run included', async () => {
    const left = leftRun(`${process.ppid}:legacy`, new Date(Date.now() - 1000), 'paused');
    const core = engine();
    core.recover();
    await core.idle();
    expect(statusOf(left.id)).toBe('interrupted');
    expect(target.written).toHaveLength(PAGES * 2);
  });

  it('cancel of a run whose engine is gone cancels it for good, as runs.list then shows', async () => {
    const left = leftRun('999999999:1:gone', inAnHour());
    const core = engine({ superviseEveryMs: 0 });
    expect(core.cancel(left.id).status).toBe('cancelled');
    core.recover();
    await core.idle();
    expect(runs.list(flowId, 10).map((run) => run.status)).toEqual(['cancelled']);
    expect(target.written).toHaveLength(0);
    expect(() => core.cancel(left.id)).toThrow('That run has already finished.');
  });

  it("a run queued behind another starts from the flow's cursor at its start", async () => {
    target.delayMs = 20;
    const core = engine({ superviseEveryMs: 0 });
    const first = core.enqueue({ flowId, trigger: 'manual', requestedBy: 'test' });
    await until('the first run writes', () => target.written.length > 0);
    const second = core.enqueue({ flowId, trigger: 'manual', requestedBy: 'test' });
    expect(second.id).not.toBe(first.id);
    await core.idle();
    const done = runs.get(second.id)!;
    expect(done.status).toBe('succeeded');
    expect(done.cursorBefore).toBe(String(PAGES));
    // Reading from the cursor it saw when queued would have read the first run's records again.
    expect(done.counts.read).toBe(0);
    expect(runs.get(first.id)!.counts.read).toBe(PAGES * 2);
  });

  it('waits out a write a dead engine left in flight before the resumed run writes', async () => {
    const left = leftRun('999999999:1:gone', inAnHour());
    const sentAt = Date.now();
    store.db
      .prepare(
        `INSERT INTO target_calls (flow_id, run_id, owner, records, sent_at, timeout_ms, expected_ms)
         VALUES (?, ?, '999999999:1:gone', 2, ?, 5000, 600)`,
      )
      .run(flowId, left.id, sentAt);
    const core = engine({ superviseEveryMs: 0 });
    core.recover();
    await core.idle();
    expect(target.writeTimes[0]! - sentAt).toBeGreaterThanOrEqual(590);
    expect(target.written).toHaveLength(PAGES * 2);
    // Every call of the resumed run ended: the ledger is empty again, and the flow's timing known.
    expect(store.db.prepare('SELECT count(*) AS n FROM target_calls').get()).toEqual({ n: 0 });
    expect(
      store.db
        .prepare<[string], { typical_ms: number }>(
          'SELECT typical_ms FROM target_call_timing WHERE flow_id = ?',
        )
        .get(flowId)?.typical_ms,
    ).toBeLessThan(1000);
  });

  it('does not wait for a left write whose usual duration has long passed', async () => {
    const left = leftRun('999999999:1:gone', inAnHour());
    store.db
      .prepare(
        `INSERT INTO target_calls (flow_id, run_id, owner, records, sent_at, timeout_ms, expected_ms)
         VALUES (?, ?, '999999999:1:gone', 2, ?, 30000, 500)`,
      )
      .run(flowId, left.id, Date.now() - 10_000);
    const started = Date.now();
    const core = engine({ superviseEveryMs: 0 });
    core.recover();
    await core.idle();
    expect(target.writeTimes[0]! - started).toBeLessThan(400);
  });
});
