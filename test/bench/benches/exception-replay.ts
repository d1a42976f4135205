import { setTimeout as sleep } from 'node:timers/promises';
import type { Benchmark, Measure } from '../bench-types.js';
import type {
  ExtractRequest,
  SourcePage,
  Target,
  TargetOutcome,
  WriteRequest,
} from '../../../main/connectors/types.js';
import { EngineCore } from '../../../main/engine/runner/engine-core.js';
import { ExceptionsRepo } from '../../../main/engine/store/exceptions-repo.js';
import { openStore } from '../../../main/store/open-store.js';
import { seedItemsFlow } from '../../integration/engine/items-flow-seed.js';
import { makeTempDir } from '../../support/temp-dir.js';

const RECORDS = Number(process.env.OSC_BENCH_REPLAY_RECORDS ?? 10_000);
const BATCH = 500;
/** The emulated target's answer time per write call (one call per chunk), the same in both runs. */
const LATENCY_MS = Number(process.env.OSC_BENCH_REPLAY_LATENCY_MS ?? 20);

class RecordsSource {
  readonly system = 'bench';
  async *extract(request: ExtractRequest): AsyncIterable<SourcePage> {
    for (let from = request.cursor === null ? 0 : Number(request.cursor); from < RECORDS; from += BATCH) {
      await Promise.resolve();
      const records = [];
      for (let i = from; i < Math.min(RECORDS, from + BATCH); i += 1) {
        records.push({
          type: 'Item',
          sourceId: `Item/${i}`,
          version: '1',
          updatedAt: null,
          data: { id: i, value: i },
        });
      }
      yield { records, cursor: String(from + BATCH) };
    }
  }
}

/** An upsert-by-key target with a fixed latency per call; while `blocked`, it refuses every record. */
class LatencyTarget implements Target {
  readonly system = 'bench';
  readonly held = new Set<string>();
  blocked = false;
  async write(request: WriteRequest): Promise<TargetOutcome[]> {
    await sleep(LATENCY_MS);
    return request.records.map((r): TargetOutcome => {
      if (this.blocked)
        return {
          key: r.key,
          ok: false,
          error: { class: 'permanent', code: 'odoo.ValidationError', message: 'blocked' },
        };
      const created = !this.held.has(r.key);
      this.held.add(r.key);
      return { key: r.key, ok: true, targetId: `id-${r.key}`, created };
    });
  }
}

async function withEngine<T>(
  work: (
    core: EngineCore,
    flowId: string,
    target: LatencyTarget,
    store: ReturnType<typeof openStore>,
  ) => Promise<T>,
): Promise<T> {
  const temp = makeTempDir('osc-bench-replay-');
  const flowId = seedItemsFlow(temp.dir, { batchSize: BATCH });
  const store = openStore({ dataDir: temp.dir, log: { warn: () => undefined } });
  const source = new RecordsSource();
  const target = new LatencyTarget();
  const core = new EngineCore({
    store,
    secrets: { read: () => Promise.resolve(null) },
    emit: () => undefined,
    endpoints: {
      source: () => ({ endpoint: source, close: () => Promise.resolve() }),
      target: () => ({ endpoint: target, close: () => Promise.resolve() }),
    },
  });
  try {
    return await work(core, flowId, target, store);
  } finally {
    await core.stop();
    store.close();
    temp.cleanup();
  }
}

async function timed(core: EngineCore, start: () => void): Promise<number> {
  const began = performance.now();
  start();
  await sleep(1);
  await core.idle();
  return performance.now() - began;
}

/**
 * Replaying N blocked records after one fix vs a fresh engine run writing the same N records: the
 * same engine, flow, mapping and target latency. The replay reads its input from the store
 * (replay_items joined to exceptions) and resolves N exceptions in the batch commits; the fresh run
 * reads a source. Ratio: replay throughput / fresh throughput (issue 10 asks ≥ 0.8).
 */
export const exceptionReplayBench: Benchmark = {
  name: 'exception-replay',
  description: `Replay of ${RECORDS} blocked records vs a fresh run writing them (${LATENCY_MS} ms per target call)`,
  async run(): Promise<readonly Measure[]> {
    const freshMs = await withEngine((core, flowId) =>
      timed(core, () => core.enqueue({ flowId, trigger: 'manual', requestedBy: 'bench' })),
    );
    const replay = await withEngine(async (core, flowId, target, store) => {
      target.blocked = true;
      await timed(core, () => core.enqueue({ flowId, trigger: 'manual', requestedBy: 'bench' }));
      target.blocked = false;
      const ids = new ExceptionsRepo(store.db).unsettledIds({ flowId }, RECORDS + 1);
      if (ids.length !== RECORDS) throw new Error(`expected ${RECORDS} blocked records, found ${ids.length}`);
      const ms = await timed(core, () => core.retryExceptions(ids, 'bench'));
      if (target.held.size !== RECORDS) throw new Error(`the replay wrote ${target.held.size} of ${RECORDS}`);
      return ms;
    });
    const value = RECORDS / (replay / 1000);
    const baseline = RECORDS / (freshMs / 1000);
    return [
      {
        bench: 'exception-replay',
        value: Math.round(value),
        unit: 'records/s',
        baseline: Math.round(baseline),
        ratio: Number((value / baseline).toFixed(2)),
        better: 'higher',
        note: `replay ${Math.round(replay)} ms vs fresh run ${Math.round(freshMs)} ms for ${RECORDS} records`,
      },
    ];
  },
};
