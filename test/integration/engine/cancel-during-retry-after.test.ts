import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExtractRequest, SourcePage, Target, WriteRequest } from '../../../main/connectors/types.js';
import { DeliveryStore } from '../../../main/connectors/webhook/delivery-store.js';
import { OutboundWebhookTarget } from '../../../main/connectors/webhook/outbound-webhook-target.js';
import { EngineCore } from '../../../main/engine/runner/engine-core.js';
import { RunsRepo } from '../../../main/engine/store/runs-repo.js';
import { openStore } from '../../../main/store/open-store.js';
import type { Store } from '../../../main/store/types.js';
import { startSupplierPortal, type SupplierPortal } from '../../peers/supplier-portal/index.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { until } from '../../support/until.js';
import { seedItemsFlow } from './items-flow-seed.js';

/**
 * runs.cancel while a run waits out a partner's Retry-After: the cancel cuts the wait at once (the
 * run's wait signal reaches the pause between attempts), the run ends cancelled, and nothing is
 * lost: the delivery stays pending and the cursor unmoved, so the next run sends the record.
 */
const SECRET = 'portal-shared-secret-for-tests';
const CONNECTION = 'conn_webhookout001';

class OneRecordSource {
  readonly system = 'script';
  // eslint-disable-next-line @typescript-eslint/require-await -- an async generator is the Source shape
  async *extract(request: ExtractRequest): AsyncIterable<SourcePage> {
    if (request.cursor !== null) return;
    yield {
      records: [
        { type: 'Item', sourceId: 'Item/1', version: '1', updatedAt: null, data: { id: '1', value: 1 } },
      ],
      cursor: '1',
    };
  }
}

describe('cancelling a run that waits out a Retry-After', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let store: Store;
  let portal: SupplierPortal;
  let core: EngineCore;
  let flowId: string;

  beforeEach(async () => {
    temp = makeTempDir('osc-cancel-wait-');
    flowId = seedItemsFlow(temp.dir, { batchSize: 1, targetTimeoutMs: 5000 });
    store = openStore({ dataDir: temp.dir, log: { warn: () => undefined } });
    portal = await startSupplierPortal({ secret: SECRET });
    const webhook = new OutboundWebhookTarget({
      connectionId: CONNECTION,
      settings: {
        kind: 'webhook-out',
        url: portal.url,
        allowInsecureHttp: false,
        maxAttempts: 5,
        timeoutMs: 2000,
      },
      secrets: { read: (id) => Promise.resolve(id === CONNECTION ? SECRET : null) },
      deliveries: new DeliveryStore(store.db),
    });
    // The seeded flow's operation names an Odoo model; this flow sends it as an outbound event.
    const target: Target = {
      system: webhook.system,
      write: (request: WriteRequest) =>
        webhook.write({ ...request, operation: { eventType: 'item.changed' } }),
    };
    core = new EngineCore({
      store,
      secrets: { read: () => Promise.resolve(null) },
      emit: () => undefined,
      superviseEveryMs: 0,
      endpoints: {
        source: () => ({ endpoint: new OneRecordSource(), close: () => Promise.resolve() }),
        target: () => ({ endpoint: target, close: () => Promise.resolve() }),
      },
      retryDelaysMs: [1],
    });
  });

  afterEach(async () => {
    await core.stop();
    await portal.close();
    store.close();
    temp.cleanup();
  });

  const delivery = () =>
    store.db
      .prepare('SELECT status, attempts, next_attempt_at AS nextAttemptAt FROM webhook_deliveries')
      .get() as { status: string; attempts: number; nextAttemptAt: string | null } | undefined;

  it('ends the run as cancelled within a second; the delivery stays pending and is sent by the next run', async () => {
    const runs = new RunsRepo(store.db);
    portal.faults.failNext(1, 429, 30);
    const run = core.enqueue({ flowId, trigger: 'manual', requestedBy: 'test' });
    // The 429 is recorded as an attempt due in 30 s: the run is now waiting it out.
    await until('the 429 is recorded', () => (delivery()?.attempts === 1 ? true : null), 5000);
    expect(portal.attempts.map((attempt) => attempt.status)).toEqual([429]);
    expect(Date.parse(delivery()!.nextAttemptAt!) - Date.now()).toBeGreaterThan(20_000);

    core.cancel(run.id);
    // Bounded poll: without the cut the run would sit out the whole 30 s.
    await until(
      'the run ends cancelled',
      () => (runs.get(run.id)?.status === 'cancelled' ? true : null),
      1500,
    );

    expect(delivery()).toMatchObject({ status: 'pending', attempts: 1 });
    expect(portal.received).toHaveLength(0);
    expect(runs.get(run.id)!.counts).toMatchObject({ written: 0, failed: 0 });

    // Nothing lost: the cursor did not move, so the next run reads the record and delivers it.
    const next = core.enqueue({ flowId, trigger: 'manual', requestedBy: 'test' });
    await core.idle();
    expect(runs.get(next.id)).toMatchObject({ status: 'succeeded', counts: { read: 1, written: 1 } });
    expect(delivery()).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(portal.received).toHaveLength(1);
  });
});
