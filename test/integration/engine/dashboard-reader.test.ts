import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Target, TargetOutcome, WriteRequest } from '../../../main/connectors/types.js';
import { markersOf } from '../../../main/engine/anomaly/anomaly-judge.js';
import { EngineCore } from '../../../main/engine/runner/engine-core.js';
import { BUCKET_COUNT, DashboardReader } from '../../../main/engine/store/dashboard-reader.js';
import { openStore } from '../../../main/store/open-store.js';
import type { Store } from '../../../main/store/types.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { AppendableSource, item } from './appendable-source.js';
import { seedItemsFlow } from './items-flow-seed.js';

/** A target that refuses items whose id ends in 7 (a record failure each), accepts the rest. */
class PickyTarget implements Target {
  readonly system = 'script';
  write(request: WriteRequest): Promise<TargetOutcome[]> {
    return Promise.resolve(
      request.records.map((r): TargetOutcome =>
        r.key.endsWith('7')
          ? {
              key: r.key,
              ok: false,
              error: { class: 'permanent', code: 'odoo.ValidationError', message: 'refused' },
            }
          : { key: r.key, ok: true, targetId: `odoo-${r.key}`, created: true },
      ),
    );
  }
}

/** The dashboard's one read (issue 12, item 4) over a real store and engine. */
describe('dashboard reader', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let store: Store;
  let flowId: string;
  let source: AppendableSource;
  let core: EngineCore;

  beforeEach(() => {
    temp = makeTempDir('osc-dashboard-');
    flowId = seedItemsFlow(temp.dir, { batchSize: 10 });
    store = openStore({ dataDir: temp.dir, log: { warn: () => undefined } });
    source = new AppendableSource();
    core = new EngineCore({
      store,
      secrets: { read: () => Promise.resolve(null) },
      emit: () => undefined,
      endpoints: {
        source: () => ({ endpoint: source, close: () => Promise.resolve() }),
        target: () => ({ endpoint: new PickyTarget(), close: () => Promise.resolve() }),
      },
    });
  });
  afterEach(async () => {
    await core.stop();
    store.close();
    temp.cleanup();
  });

  const runOnce = async () => {
    core.enqueue({ flowId, trigger: 'manual', requestedBy: 'op_admin' });
    await new Promise((resolve) => setTimeout(resolve, 1));
    await core.idle();
  };
  const row = () => new DashboardReader(store.db).overview().flows.find((flow) => flow.flowId === flowId)!;

  it('counts what each flow wrote and failed in the current bucket, its usual run, exceptions, outbox and holds', async () => {
    expect(row()).toMatchObject({ lastRun: null, usualRead: null, openExceptions: 0, outboxWaiting: 0 });
    expect(row().written).toEqual(new Array(BUCKET_COUNT).fill(0));

    source.append(...Array.from({ length: 20 }, (_, i) => item(String(i + 1), 1)));
    await runOnce();
    source.append(...Array.from({ length: 10 }, (_, i) => item(String(i + 21), 1)));
    await runOnce();
    const after = row();
    // Items 7, 17 and 27 were refused: 27 written, 3 failed, all in the newest bucket.
    expect(after.written.at(-1)).toBe(27);
    expect(after.failed.at(-1)).toBe(3);
    expect(after.written.slice(0, -1).every((n) => n === 0)).toBe(true);
    expect(after.lastRun).toMatchObject({ status: 'completed-with-failures', counts: { read: 10 } });
    expect(after.usualRead).toBe(15);
    expect(after.openExceptions).toBe(3);

    // A held anomalous batch shows as a hold and as writes waiting in the outbox.
    store.db
      .prepare("UPDATE flows SET definition = json_set(definition, '$.anomaly', json(?)) WHERE id = ?")
      .run(JSON.stringify({ minHistory: 3 }), flowId);
    const { weekday, monthEnd } = markersOf(new Date());
    for (const volume of [4, 5, 6])
      store.db
        .prepare(
          `INSERT INTO anomaly_batches (flow_id, run_id, at, weekday, month_end, volume, amount, verdict)
           VALUES (?, 'run_seed', '2026-01-01T00:00:00.000Z', ?, ?, ?, NULL, 'normal')`,
        )
        .run(flowId, weekday, monthEnd ? 1 : 0, volume);
    source.append(...Array.from({ length: 50 }, (_, i) => item(String(i + 100), 1)));
    await runOnce();
    expect(row()).toMatchObject({ holds: 1, held: 50, outboxWaiting: 50 });
  });

  it('a run that finished before the window is not in the series', async () => {
    source.append(item('1', 1));
    await runOnce();
    const later = new Date(Date.now() + (BUCKET_COUNT + 1) * 5 * 60_000);
    const flow = new DashboardReader(store.db).overview(later).flows.find((f) => f.flowId === flowId)!;
    expect(flow.written.every((n) => n === 0)).toBe(true);
    expect(flow.usualRead).toBe(1);
  });
});
