import { setTimeout as sleep } from 'node:timers/promises';
import type { Benchmark, Measure } from '../bench-types.js';
import { median } from '../bench-output.js';
import type { ExtractRequest, SourcePage } from '../../../main/connectors/types.js';
import { DegradedModes } from '../../../main/engine/outbox/degraded-modes.js';
import { EngineCore } from '../../../main/engine/runner/engine-core.js';
import { RunsRepo } from '../../../main/engine/store/runs-repo.js';
import { openStore } from '../../../main/store/open-store.js';
import type { Store } from '../../../main/store/types.js';
import type { RunCounts } from '../../../shared/domain/run.js';
import { seedStore } from '../../peers/demo/seed-store.js';
import { startOdooEmulator, type OdooEmulator } from '../../peers/odoo/index.js';
import { makeTempDir } from '../../support/temp-dir.js';

const RECORDS = Number(process.env.OSC_BENCH_OUTBOX_RECORDS ?? 10_000);
const ROUNDS = Number(process.env.OSC_BENCH_OUTBOX_ROUNDS ?? 3);
const BATCH = 500;
/**
 * The Odoo emulator's latency, as in the odoo-upsert bench: 30 ms per call + 2 ms per record written.
 * OSC_BENCH_OUTBOX_CALL_MS / _RECORD_MS = 0 leave the engine's own cost alone in the figures.
 */
const LATENCY = {
  perCallMs: Number(process.env.OSC_BENCH_OUTBOX_CALL_MS ?? 30),
  perRecordMs: Number(process.env.OSC_BENCH_OUTBOX_RECORD_MS ?? 2),
};
const API_KEY = 'bench-key-not-a-secret';
const MODULE = 'osc_bench';

/** N items from memory, pages of BATCH, the cursor = the next index (so a drain run reads nothing). */
class ItemsSource {
  readonly system = 'bench';
  async *extract(request: ExtractRequest): AsyncIterable<SourcePage> {
    for (let from = request.cursor === null ? 0 : Number(request.cursor); from < RECORDS; from += BATCH) {
      await Promise.resolve();
      const records = [];
      for (let i = from; i < Math.min(RECORDS, from + BATCH); i += 1)
        records.push({
          type: 'Item',
          sourceId: `Item/${i}`,
          version: '1',
          updatedAt: null,
          data: { id: i, name: `Bench item ${i}`, ref: `ITEM-${i}` },
        });
      yield { records, cursor: String(from + BATCH) };
    }
  }
}

interface Bed {
  readonly core: EngineCore;
  readonly store: Store;
  readonly emulator: OdooEmulator;
  readonly flowId: string;
  readonly targetId: string;
}

/** A fresh emulator and data folder per side of a round: neither writes where the other wrote. */
async function withBed<T>(work: (bed: Bed) => Promise<T>): Promise<T> {
  const emulator = await startOdooEmulator({ apiKeys: [{ key: API_KEY }], latency: LATENCY });
  const temp = makeTempDir('osc-bench-outbox-');
  const seeded = seedStore(temp.dir, {
    connections: {
      src: {
        kind: 'fhir',
        baseUrl: 'http://127.0.0.1:9/',
        allowInsecureHttp: true,
        authMethod: 'none',
        username: '',
        pageSize: BATCH,
        overlapSeconds: 0,
        timeoutMs: 1000,
      },
      odoo: {
        kind: 'odoo',
        baseUrl: emulator.url,
        database: 'odoo17',
        login: 'admin',
        authMethod: 'api-key',
        protocol: 'auto',
        externalIdModule: MODULE,
        allowInsecureHttp: true,
        // One call at a time, as the drain sends: the ratio is the engine's, not parallelism.
        maxConcurrentCalls: 1,
        maxCallsPerSecond: 100,
        timeoutMs: 120_000,
      },
    },
    mappings: {
      items: {
        key: '"item_" & id',
        fields: [
          { target: 'name', expression: 'name' },
          { target: 'ref', expression: 'ref' },
        ],
      },
    },
    flows: {
      items: {
        source: 'src',
        sourceSelector: {},
        target: 'odoo',
        targetOperation: { model: 'res.partner' },
        mapping: 'items',
        batchSize: BATCH,
      },
    },
  });
  const flowId = seeded.flows.items?.id;
  const targetId = seeded.connectionIds.odoo;
  if (flowId === undefined || targetId === undefined) throw new Error('outbox-replay: seeding failed');
  const store = openStore({ dataDir: temp.dir, log: { warn: () => undefined } });
  const source = new ItemsSource();
  const core = new EngineCore({
    store,
    secrets: { read: () => Promise.resolve(API_KEY) },
    emit: () => undefined,
    // The source is in memory; the target is the real Odoo connector built from the connection.
    endpoints: { source: () => ({ endpoint: source, close: () => Promise.resolve() }) },
  });
  try {
    return await work({ core, store, emulator, flowId, targetId });
  } finally {
    await core.stop();
    store.close();
    temp.cleanup();
    await emulator.close();
  }
}

/** Wall time from queuing a run to the engine being idle again, that run's counts, its Odoo calls. */
async function timedRun(
  bed: Bed,
  queue: () => string,
): Promise<{ ms: number; counts: RunCounts; calls: number }> {
  const callsBefore = bed.emulator.state.calls.length;
  const began = performance.now();
  const runId = queue();
  await sleep(1);
  await bed.core.idle();
  const ms = performance.now() - began;
  const run = new RunsRepo(bed.store.db).get(runId);
  if (run === null) throw new Error(`outbox-replay: run ${runId} vanished`);
  if (run.status !== 'succeeded')
    throw new Error(`outbox-replay: run ended ${run.status}: ${run.error ?? ''}`);
  return { ms, counts: run.counts, calls: bed.emulator.state.calls.length - callsBefore };
}

/** What the emulator's latency alone costs a side: every call, plus every record it created. */
interface Side {
  readonly ms: number;
  readonly latencyFloorMs: number;
}

function side(ms: number, calls: number): Side {
  return { ms, latencyFloorMs: calls * LATENCY.perCallMs + RECORDS * LATENCY.perRecordMs };
}

/** Partners the connector created under the bench's module (its external ids in ir.model.data). */
function heldByEmulator(emulator: OdooEmulator): number {
  const db = emulator.state.db;
  return db.idsWhere('ir.model.data', (row) => row.module === MODULE && row.model === 'res.partner').length;
}

function expect(what: string, actual: unknown, expected: unknown): void {
  if (actual !== expected)
    throw new Error(
      `outbox-replay: ${what} is ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`,
    );
}

/** (A) A normal run writing the N records: its wall time. */
function normalRun(): Promise<Side> {
  return withBed(async (bed) => {
    const { ms, counts, calls } = await timedRun(
      bed,
      () => bed.core.enqueue({ flowId: bed.flowId, trigger: 'manual', requestedBy: 'bench' }).id,
    );
    expect('records written by the normal run', counts.written, RECORDS);
    expect('partners in the emulator after the normal run', heldByEmulator(bed.emulator), RECORDS);
    return side(ms, calls);
  });
}

/** (B) A run in degraded mode puts the N writes in the outbox (not timed); then the drain, timed. */
function drainRun(): Promise<Side> {
  return withBed(async (bed) => {
    const modes = new DegradedModes(bed.store.db);
    modes.switchOn(bed.targetId, 'bench: Odoo maintenance', 'bench');
    const deferring = await timedRun(
      bed,
      () => bed.core.enqueue({ flowId: bed.flowId, trigger: 'manual', requestedBy: 'bench' }).id,
    );
    expect('records deferred', deferring.counts.deferred, RECORDS);
    expect('partners in the emulator before the drain', heldByEmulator(bed.emulator), 0);
    modes.switchOff(bed.targetId);
    const { ms, counts, calls } = await timedRun(bed, () => {
      const runs = bed.core.drainOutbox({ connectionId: bed.targetId, flowId: null, requestedBy: 'bench' });
      expect('drain runs queued', runs.length, 1);
      return runs[0]?.id ?? '';
    });
    expect('writes drained', counts.drained, RECORDS);
    const states = bed.store.db
      .prepare<[], { state: string; n: number }>(
        'SELECT state, count(*) AS n FROM outbox_writes GROUP BY state ORDER BY state',
      )
      .all();
    expect(
      'outbox states after the drain',
      JSON.stringify(states),
      JSON.stringify([{ state: 'sent', n: RECORDS }]),
    );
    expect('partners in the emulator after the drain', heldByEmulator(bed.emulator), RECORDS);
    return side(ms, calls);
  });
}

/**
 * Draining N writes that waited in the durable outbox (issue 11) vs a normal run writing the same N
 * records: same engine, flow, mapping, connector and Odoo emulator latency, fresh store and emulator
 * per side. Rounds alternate (normal, drain, normal, drain…) so load on the machine hits both alike;
 * medians. Ratio: drain records/s ÷ normal records/s (issue 11 asks ≥ 0.9).
 */
export const outboxReplayBench: Benchmark = {
  name: 'outbox-replay',
  description: `Drain of ${RECORDS} outbox writes vs a normal run writing them (Odoo emulator, ${LATENCY.perCallMs} ms/call + ${LATENCY.perRecordMs} ms/record)`,
  async run(): Promise<readonly Measure[]> {
    const normal: Side[] = [];
    const drain: Side[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      normal.push(await normalRun());
      drain.push(await drainRun());
    }
    const ms = (sides: readonly Side[]): number => median(sides.map((s) => s.ms));
    // What the engine adds on top of the emulator's own latency: where a slower drain would lose.
    const overhead = (sides: readonly Side[]): number =>
      Math.round(median(sides.map((s) => s.ms - s.latencyFloorMs)));
    const value = RECORDS / (ms(drain) / 1000);
    const baseline = RECORDS / (ms(normal) / 1000);
    const list = (sides: readonly Side[]): string => sides.map((s) => Math.round(s.ms)).join('/');
    return [
      {
        bench: 'outbox-replay',
        value,
        unit: 'records/s',
        baseline,
        ratio: value / baseline,
        better: 'higher',
        note: `median of ${ROUNDS} alternating rounds, ${RECORDS} records, ${BATCH}/call; drain ${list(drain)} ms vs normal run ${list(normal)} ms; above the emulator's latency: drain ${overhead(drain)} ms, normal ${overhead(normal)} ms`,
      },
    ];
  },
};
