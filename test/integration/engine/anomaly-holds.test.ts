import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../../shared/contract/events.js';
import type { Target, TargetOutcome, WriteRequest } from '../../../main/connectors/types.js';
import { configFileSchema } from '../../../main/engine/config/config-file.js';
import { exportConfig } from '../../../main/engine/config/export-config.js';
import { markersOf } from '../../../main/engine/anomaly/anomaly-judge.js';
import { AnomalyStore } from '../../../main/engine/anomaly/anomaly-store.js';
import { HoldDecisions } from '../../../main/engine/anomaly/hold-decisions.js';
import { OutageViews } from '../../../main/engine/outbox/outage-views.js';
import { EngineCore } from '../../../main/engine/runner/engine-core.js';
import { RunsRepo } from '../../../main/engine/store/runs-repo.js';
import { openStore } from '../../../main/store/open-store.js';
import type { Store } from '../../../main/store/types.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { AppendableSource, item } from './appendable-source.js';
import { seedItemsFlow } from './items-flow-seed.js';

/**
 * Anomaly holds (issue 12, item 2) through the engine: a flow that watches anomalies stages each
 * run's writes, judges them as one batch against its seeded history, posts a normal batch, and holds
 * a 10× batch unsent — with the flow's later writes waiting behind it — until a human releases it
 * (sent, in key order, before the later ones) or rejects it (never sent: exceptions instead).
 */
class CountingTarget implements Target {
  readonly system = 'script';
  calls = 0;
  readonly log: string[] = [];
  write(request: WriteRequest): Promise<TargetOutcome[]> {
    this.calls += 1;
    return Promise.resolve(
      request.records.map((r): TargetOutcome => {
        this.log.push(`${r.key}=${String(r.payload['value'])}`);
        return { key: r.key, ok: true, targetId: `odoo-${r.key}`, created: true };
      }),
    );
  }
}

/** Eight earlier batches like today's (same weekday, or month ends when today is one): 3–5 records. */
const HISTORY = [3, 4, 5, 4, 3, 5, 4, 4];

describe('anomaly holds', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let store: Store;
  let flowId: string;
  let source: AppendableSource;
  let target: CountingTarget;
  let core: EngineCore;
  let events: LiveEvent[];

  beforeEach(() => {
    temp = makeTempDir('osc-anomaly-');
    flowId = seedItemsFlow(temp.dir, { batchSize: 5 });
    store = openStore({ dataDir: temp.dir, log: { warn: () => undefined } });
    store.db
      .prepare("UPDATE flows SET definition = json_set(definition, '$.anomaly', json(?)) WHERE id = ?")
      .run(JSON.stringify({ amountField: 'value' }), flowId);
    const { weekday, monthEnd } = markersOf(new Date());
    const insert = store.db.prepare(
      `INSERT INTO anomaly_batches (flow_id, run_id, at, weekday, month_end, volume, amount, verdict)
       VALUES (?, 'run_seed', '2026-01-01T00:00:00.000Z', ?, ?, ?, ?, 'normal')`,
    );
    for (const volume of HISTORY) insert.run(flowId, weekday, monthEnd ? 1 : 0, volume, volume * 2);
    source = new AppendableSource();
    target = new CountingTarget();
    events = [];
    core = new EngineCore({
      store,
      secrets: { read: () => Promise.resolve(null) },
      emit: (event) => events.push(event),
      endpoints: {
        source: () => ({ endpoint: source, close: () => Promise.resolve() }),
        target: () => ({ endpoint: target, close: () => Promise.resolve() }),
      },
    });
  });
  afterEach(async () => {
    await core.stop();
    store.close();
    temp.cleanup();
  });

  const runs = () => new RunsRepo(store.db);
  const holds = () => new AnomalyStore(store.db).list({ state: null, flowId, limit: 10 });
  const settle = async () => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    await core.idle();
  };
  const runOnce = async () => {
    const run = core.enqueue({ flowId, trigger: 'manual', requestedBy: 'op_admin' });
    await settle();
    return runs().get(run.id)!;
  };
  const items = (from: number, count: number, version = 1) =>
    Array.from({ length: count }, (_, i) => item(String(from + i), version));
  /** How the target logs version 1 of items from..from+count-1. */
  const sentAs = (from: number, count: number) =>
    Array.from({ length: count }, (_, i) => `item_${from + i}=1`);
  const outboxStates = () =>
    store.db
      .prepare<[], { state: string; n: number }>(
        'SELECT state, count(*) AS n FROM outbox_writes GROUP BY state ORDER BY state',
      )
      .all();

  /** A normal batch posted, then a 10× one held: the state both tests start from. */
  async function normalThenTenfold(): Promise<string> {
    source.append(...items(1, 4));
    const normal = await runOnce();
    expect(normal.status).toBe('succeeded');
    // Staged, judged and sent by its own run: its writes, not a deferral and a drain.
    expect(normal.counts).toEqual({ read: 4, mapped: 4, unchanged: 0, written: 4, failed: 0 });
    expect(target.log).toEqual(['item_1=1', 'item_2=1', 'item_3=1', 'item_4=1']);
    expect(holds()).toEqual([]);
    // Staged and sent by its own run: no outage to announce (no "replay finished" notification).
    expect(events.filter((event) => event.type === 'outages.changed')).toEqual([]);

    source.append(...items(10, 40));
    const big = await runOnce();
    expect(big.status).toBe('succeeded');
    expect(big.counts).toMatchObject({ read: 40, written: 0, deferred: 40 });
    expect(target.log).toHaveLength(4);
    const [hold] = holds();
    expect(hold).toMatchObject({ state: 'held', size: 40, runId: big.id, flowId });
    expect(hold!.explanation).toMatch(/^40 records: 10× the median of the last 9 .+ \(4\)/);
    expect(events).toContainEqual({ type: 'holds.changed', change: 'held', holdId: hold!.id, flowId });
    // The outage banner's figures count the held writes among the waiting ones, and say so.
    expect(new OutageViews(store.db).overview().exposure).toMatchObject({ waiting: 40, held: 40 });
    return hold!.id;
  }

  it('a normal batch is posted; a 10× batch is held unsent; release sends it in key order before later writes', async () => {
    const holdId = await normalThenTenfold();

    // While held, a later run's writes (a new version of a held key among them) wait behind it.
    source.append(item('10', 2), ...items(50, 3));
    const later = await runOnce();
    expect(later.counts).toMatchObject({ read: 4, written: 0, deferred: 4 });
    expect(target.log).toHaveLength(4);
    // Nothing drains a flow whose outbox starts with a held batch (no run is queued for it).
    expect(core.drainOutbox({ connectionId: null, flowId, requestedBy: 'x' })).toEqual([]);

    const released = new HoldDecisions(store.db).release(holdId, 'fin_anna', 'Quarterly stock count');
    expect(released).toMatchObject({
      ok: true,
      writes: 40,
      hold: { state: 'released', decidedBy: 'fin_anna' },
    });
    const drains = core.drainOutbox({ connectionId: null, flowId, requestedBy: 'fin_anna' });
    expect(drains).toHaveLength(1);
    await settle();
    expect(runs().get(drains[0]!.id)!.counts).toMatchObject({ drained: 44, failed: 0 });
    expect(target.log).toHaveLength(48);
    // The held batch went first, and a key's older version before its newer one.
    const sent = target.log.slice(4);
    expect(sent.slice(0, 40)).toEqual(sentAs(10, 40));
    expect(sent.indexOf('item_10=1')).toBeLessThan(sent.indexOf('item_10=2'));
    expect(outboxStates()).toEqual([{ state: 'sent', n: 48 }]);
    // Deciding twice is refused: another console was faster.
    expect(new HoldDecisions(store.db).reject(holdId, 'x', 'too late')).toMatchObject({
      ok: false,
      why: 'decided',
    });
  });

  it('the anomaly watch travels in the change-management file', () => {
    const [flow] = configFileSchema.parse(exportConfig(store.db)).flows;
    expect(flow?.anomaly).toEqual({ amountField: 'value', minHistory: 8, threshold: 3.5 });
  });

  it('reject: the held writes are never sent and become exceptions; the flow goes on', async () => {
    const holdId = await normalThenTenfold();
    const rejected = new HoldDecisions(store.db).reject(holdId, 'fin_anna', 'Duplicate export from the EHR');
    expect(rejected).toMatchObject({
      ok: true,
      writes: 40,
      hold: { state: 'rejected', reason: 'Duplicate export from the EHR' },
    });
    const exceptions = store.db
      .prepare<[string], { n: number; code: string; state: string }>(
        'SELECT count(*) AS n, error_code AS code, state FROM exceptions WHERE flow_id = ? GROUP BY error_code, state',
      )
      .all(flowId);
    expect(exceptions).toEqual([{ n: 40, code: 'anomaly.rejected', state: 'open' }]);
    expect(outboxStates()).toEqual([
      { state: 'failed', n: 40 },
      { state: 'sent', n: 4 },
    ]);
    expect(core.drainOutbox({ connectionId: null, flowId, requestedBy: 'x' })).toEqual([]);

    // The next normal batch is posted; the rejected ones never were.
    source.append(...items(60, 4));
    await runOnce();
    expect(target.log).toEqual(['item_1=1', 'item_2=1', 'item_3=1', 'item_4=1', ...sentAs(60, 4)]);
    expect(target.log.some((line) => line.startsWith('item_10='))).toBe(false);
  });
});
