import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../../shared/contract/events.js';
import type { Target, TargetOutcome, WriteRequest } from '../../../main/connectors/types.js';
import { FallbackEntriesRepo } from '../../../main/engine/fallback/fallback-entries-repo.js';
import { FallbackWork } from '../../../main/engine/fallback/fallback-work.js';
import { DegradedModes } from '../../../main/engine/outbox/degraded-modes.js';
import { EngineCore } from '../../../main/engine/runner/engine-core.js';
import { openStore } from '../../../main/store/open-store.js';
import type { Store } from '../../../main/store/types.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { AppendableSource } from './appendable-source.js';
import { GLOVES_ENTRY, seedSupplyFlow, supplyDelivery, supplyRecord } from './fallback-seed.js';

/** Remembers every write by key and quantity, like an Odoo that takes them all. */
class RecordingTarget implements Target {
  readonly system = 'script';
  readonly writes: string[] = [];
  write(request: WriteRequest): Promise<TargetOutcome[]> {
    return Promise.resolve(
      request.records.map((r): TargetOutcome => {
        this.writes.push(`${r.key}=${String(r.payload['quantity'])}`);
        return { key: r.key, ok: true, targetId: `odoo-${r.key}`, created: true };
      }),
    );
  }
}

/**
 * The whole manual fallback story through the engine (issue 11, item 3): the EHR is down and Odoo
 * degraded; a supply use is entered by hand and waits in the outbox; Odoo is switched back and the
 * drain writes it under its provisional key; the EHR comes back and delivers the same use: it is not
 * written again, and a later correction of it is flagged for review instead of written.
 */
describe('manual fallback through the engine', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let store: Store;
  let core: EngineCore;
  let source: AppendableSource;
  let target: RecordingTarget;
  let flowId: string;
  let odooId: string;
  const events: LiveEvent[] = [];

  beforeEach(() => {
    temp = makeTempDir('osc-fallback-engine-');
    ({ flowId, targetConnectionId: odooId } = seedSupplyFlow(temp.dir));
    store = openStore({ dataDir: temp.dir, log: { warn: () => undefined } });
    source = new AppendableSource();
    target = new RecordingTarget();
    core = new EngineCore({
      store,
      secrets: { read: () => Promise.resolve(null) },
      emit: (event) => events.push(event),
      endpoints: {
        source: () => ({ endpoint: source, close: () => Promise.resolve() }),
        target: () => ({ endpoint: target, close: () => Promise.resolve() }),
      },
      fallback: (deps) => new FallbackWork(deps),
    });
  });
  afterEach(async () => {
    await core.stop();
    store.close();
    temp.cleanup();
  });

  const settle = async () => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    await core.idle();
  };
  const entry = (id: string) => new FallbackEntriesRepo(store.db).get(id);
  const key = (id: string) => `supply_use_${id.replace(/[^A-Za-z0-9_]/g, '_')}`;

  it('writes the entry once, and the late source event not at all', async () => {
    const modes = new DegradedModes(store.db);
    modes.switchOn(odooId, 'Odoo down', 'admin');
    const typed = await core.enterFallback({
      flowId,
      values: { ...GLOVES_ENTRY },
      reason: 'EHR down since 08:10',
      enteredBy: 'its',
    });
    await settle();
    expect(target.writes).toEqual([]);
    expect(entry(typed.id)?.state).toBe('queued');

    modes.switchOff(odooId);
    core.drainOutbox({ connectionId: odooId, flowId: null, requestedBy: 'admin' });
    await settle();
    expect(target.writes).toEqual([`${typed.provisionalKey}=2`]);
    expect(entry(typed.id)?.state).toBe('sent');

    // The EHR is back: the same supply use (later that day) and another one.
    source.append(
      supplyRecord(supplyDelivery('sd-1', { time: '2026-12-02T17:05:00+01:00' })),
      supplyRecord(supplyDelivery('sd-2', { encounter: 'Encounter/enc-0043' })),
    );
    core.enqueue({ flowId, trigger: 'manual', requestedBy: 'admin' });
    await settle();
    expect(target.writes).toEqual([`${typed.provisionalKey}=2`, `${key('sd-2')}=2`]);
    expect(entry(typed.id)).toMatchObject({ state: 'matched', matchedSourceId: 'SupplyDelivery/sd-1' });

    // A correction of the matched use (3, not 2): not written, flagged for review.
    source.append(supplyRecord(supplyDelivery('sd-1', { quantity: 3 }, '2')));
    core.enqueue({ flowId, trigger: 'manual', requestedBy: 'admin' });
    await settle();
    expect(target.writes).toHaveLength(2);
    expect(entry(typed.id)).toMatchObject({ state: 'differs', differences: ['quantity'] });
    const exception = store.db
      .prepare<[], { error_code: string; state: string }>('SELECT error_code, state FROM exceptions')
      .get();
    expect(exception).toEqual({ error_code: 'fallback.differs', state: 'open' });
  });
});
