import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../../shared/contract/events.js';
import type { Target, TargetOutcome, WriteRequest } from '../../../main/connectors/types.js';
import { DegradedModes } from '../../../main/engine/outbox/degraded-modes.js';
import { EngineCore } from '../../../main/engine/runner/engine-core.js';
import { FlowsRepo } from '../../../main/engine/store/flows-repo.js';
import { RunsRepo } from '../../../main/engine/store/runs-repo.js';
import { openStore } from '../../../main/store/open-store.js';
import type { Store } from '../../../main/store/types.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { AppendableSource, item } from './appendable-source.js';
import { seedItemsFlow } from './items-flow-seed.js';

/**
 * Degraded mode switched by hand (issue 11, item 2): while the target is degraded no write reaches it
 * — runs read on and queue their writes in the outbox — and replays of exceptions wait; while the
 * source is degraded, scheduled runs wait and a run only sends what the outbox holds. Switched off,
 * one drain sends every waiting write once, in the order they were read.
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

describe('degraded mode', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let store: Store;
  let flowId: string;
  let source: AppendableSource;
  let target: CountingTarget;
  let core: EngineCore;
  let events: LiveEvent[];

  beforeEach(() => {
    temp = makeTempDir('osc-degraded-');
    flowId = seedItemsFlow(temp.dir, { batchSize: 5 });
    store = openStore({ dataDir: temp.dir, log: { warn: () => undefined } });
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

  const flow = () => new FlowsRepo(store.db).get(flowId)!;
  const runs = () => new RunsRepo(store.db);
  const modes = () => new DegradedModes(store.db);
  const settle = async () => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    await core.idle();
  };
  const outbox = () =>
    store.db
      .prepare<[], { target_key: string; state: string; reason: string; mapping_version: number }>(
        'SELECT target_key, state, reason, mapping_version FROM outbox_writes ORDER BY seq',
      )
      .all();

  it('a degraded target gets no write; the outbox drains in read order once it is switched off', async () => {
    modes().switchOn(flow().targetConnectionId, 'Odoo upgrade tonight', 'op_admin');
    source.append(item('1', 1), item('2', 1), item('3', 1));
    source.append(item('2', 2), item('4', 1));
    const first = core.enqueue({ flowId, trigger: 'schedule', requestedBy: 'scheduler' });
    await settle();
    expect(runs().get(first.id)!).toMatchObject({ status: 'succeeded' });
    expect(runs().get(first.id)!.counts).toMatchObject({ read: 5, written: 0, deferred: 5 });
    expect(target.calls).toBe(0);
    expect(flow().cursor).toBe('2');
    expect(outbox().map((row) => `${row.target_key}:${row.reason}`)).toEqual([
      'item_1:degraded',
      'item_2:degraded',
      'item_3:degraded',
      'item_2:degraded',
      'item_4:degraded',
    ]);

    // Still degraded: another run does not drain (the target stays untouched), it only reads on.
    source.append(item('5', 1));
    core.enqueue({ flowId, trigger: 'manual', requestedBy: 'op_admin' });
    await settle();
    expect(target.calls).toBe(0);
    expect(outbox()).toHaveLength(6);
    // A drain asked for while degraded queues nothing.
    expect(
      core.drainOutbox({ connectionId: flow().targetConnectionId, flowId: null, requestedBy: 'x' }),
    ).toEqual([]);

    expect(modes().switchOff(flow().targetConnectionId)).toBe(true);
    const drains = core.drainOutbox({
      connectionId: flow().targetConnectionId,
      flowId: null,
      requestedBy: 'op_admin',
    });
    expect(drains).toHaveLength(1);
    await settle();
    expect(runs().get(drains[0]!.id)!.counts).toMatchObject({ drained: 6, read: 0, failed: 0 });
    expect(outbox().every((row) => row.state === 'sent')).toBe(true);
    // Key order: item 2's first version before its second; every write once.
    expect(target.log).toEqual(['item_1=1', 'item_2=1', 'item_3=1', 'item_4=1', 'item_2=2', 'item_5=1']);
    // The consoles heard of the writes queued and of the drain that finished (notifications).
    const outages = events.filter((event) => event.type === 'outages.changed').map((event) => event.change);
    expect(outages).toEqual(['outbox', 'outbox', 'drain-finished']);
  });

  it('a degraded source holds scheduled runs; a run then only sends its outbox, and the cursor stays', async () => {
    source.append(item('1', 1));
    modes().switchOn(flow().targetConnectionId, 'Odoo down', 'op_admin');
    core.enqueue({ flowId, trigger: 'manual', requestedBy: 'op_admin' });
    await settle();
    expect(outbox()).toHaveLength(1);
    modes().switchOff(flow().targetConnectionId);

    modes().switchOn(flow().sourceConnectionId, 'EHR maintenance', 'op_admin');
    expect(() => core.enqueue({ flowId, trigger: 'schedule', requestedBy: 'scheduler' })).toThrow(
      /Not started: .* is in degraded mode since .*EHR maintenance/,
    );
    source.append(item('2', 1));
    const reads = source.reads;
    const drain = core.drainOutbox({ connectionId: null, flowId, requestedBy: 'op_admin' });
    expect(drain).toHaveLength(1);
    await settle();
    expect(source.reads).toBe(reads); // the degraded source was not read
    expect(runs().get(drain[0]!.id)!.counts).toMatchObject({ drained: 1, read: 0 });
    expect(target.log).toEqual(['item_1=1']);
    expect(flow().cursor).toBe('1');
  });

  it('a wake refused while the source is degraded is not lost: the flow runs once it is switched off', async () => {
    source.append(item('1', 1));
    modes().switchOn(flow().sourceConnectionId, 'EHR maintenance', 'op_admin');
    expect(() => core.enqueue({ flowId, trigger: 'realtime', requestedBy: 'webhook' })).toThrow(
      /degraded mode/,
    );
    expect(runs().list(flowId, 10)).toHaveLength(0);
    modes().switchOff(flow().sourceConnectionId);
    const woken = core.drainOutbox({
      connectionId: flow().sourceConnectionId,
      flowId: null,
      requestedBy: 'op_admin',
    });
    expect(woken).toHaveLength(1);
    await settle();
    expect(runs().get(woken[0]!.id)!.counts).toMatchObject({ read: 1, written: 1 });
    expect(target.log).toEqual(['item_1=1']);
  });

  it('a key back at its written value while a newer one waits in the outbox is written again, last', async () => {
    source.append(item('1', 'A'));
    core.enqueue({ flowId, trigger: 'manual', requestedBy: 'op' });
    await settle();
    modes().switchOn(flow().targetConnectionId, 'Odoo down', 'op_admin');
    source.append(item('1', 'B'));
    core.enqueue({ flowId, trigger: 'manual', requestedBy: 'op' });
    await settle();
    source.append(item('1', 'A'));
    core.enqueue({ flowId, trigger: 'manual', requestedBy: 'op' });
    await settle();
    expect(outbox().map((row) => row.target_key)).toEqual(['item_1', 'item_1']);
    modes().switchOff(flow().targetConnectionId);
    core.drainOutbox({ connectionId: null, flowId, requestedBy: 'op' });
    await settle();
    expect(target.log).toEqual(['item_1=A', 'item_1=B', 'item_1=A']);
  });

  it('within one page, k:B then k:A while A was written ends at A', async () => {
    source.append(item('1', 'A'));
    core.enqueue({ flowId, trigger: 'manual', requestedBy: 'op' });
    await settle();
    source.append(item('1', 'B'), item('1', 'A'));
    core.enqueue({ flowId, trigger: 'manual', requestedBy: 'op' });
    await settle();
    expect(target.log).toEqual(['item_1=A', 'item_1=B', 'item_1=A']);
  });
});
