import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../shared/domain/audit.js';
import { openStore } from '../../../main/store/open-store.js';
import type { Store } from '../../../main/store/types.js';
import { payloadRetentionService } from '../../../main/store/retention/payload-retention-service.js';
import { writePayloadRetentionDays } from '../../../main/store/retention/retention-settings.js';
import { isPrunedPayload } from '../../../main/store/retention/pruned-payload-marker.js';
import { StoreWorkerClient } from '../../../main/store/worker/store-worker-client.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { NOW, payload, seedRetentionStore } from './retention-seed.js';

const quiet = { log: { warn: () => undefined } };

describe('the scheduled payload retention service', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let store: Store;
  let worker: StoreWorkerClient;
  beforeEach(() => {
    temp = makeTempDir('osc-retention-svc-');
    store = openStore({ dataDir: temp.dir, now: () => NOW, ...quiet });
    seedRetentionStore(store.db);
    worker = new StoreWorkerClient();
  });
  afterEach(async () => {
    await worker.close();
    store.close();
    temp.cleanup();
  });

  const sourcePayload = (id: string): string =>
    (
      store.db.prepare('SELECT source_payload FROM exceptions WHERE id = ?').get(id) as {
        source_payload: string;
      }
    ).source_payload;

  /** Runs the service for `ms`, or until `enough` pass audit rows came (the worker starts in ~1 s). */
  async function runFor(
    ms: number,
    enough = Number.POSITIVE_INFINITY,
  ): Promise<{ entries: AuditEntry[]; detail: string | null; died: unknown[] }> {
    const entries: AuditEntry[] = [];
    const died: unknown[] = [];
    const service = payloadRetentionService({
      store,
      // The real store worker, as the console runs it: passes leave the serving thread.
      prune: (request) => worker.prunePayloads(temp.dir, request),
      onPruned: (e) => entries.push(e),
      everyMs: 20,
      now: () => NOW,
    });
    const handle = await service.start({ died: (error: unknown) => died.push(error) } as never);
    const deadline = Date.now() + ms;
    while (Date.now() < deadline && entries.length < enough) {
      await new Promise((done) => setTimeout(done, 20));
    }
    const detail = handle.detail?.() ?? null;
    await handle.stop();
    return { entries, detail, died };
  }

  it('does nothing without a configured age: keeping data is the default', async () => {
    const { entries, detail, died } = await runFor(120);
    expect(entries).toEqual([]);
    expect(died).toEqual([]);
    expect(detail).toBe('off: payloads are kept (no retention age configured)');
    expect(sourcePayload('exc_resolved00')).toBe(payload('S-resolved'));
  });

  it('with an age configured, prunes on schedule as system and audits each pass; the open exception survives', async () => {
    writePayloadRetentionDays(store.db, 30);
    const { entries, detail, died } = await runFor(15_000, 2);
    expect(died).toEqual([]);
    expect(entries.length).toBeGreaterThanOrEqual(2);
    expect(entries[0]).toMatchObject({ actor: 'system', action: 'store.payloads-pruned' });
    expect(JSON.parse(entries[0]?.detail ?? '{}')).toMatchObject({ payloads: 10, olderThanDays: 30 });
    expect(JSON.parse(entries[1]?.detail ?? '{}')).toMatchObject({ payloads: 0 });
    expect(detail).toMatch(/^prunes settled payloads older than 30 days; last pass pruned 0 payloads$/);
    expect(isPrunedPayload(sourcePayload('exc_resolved00'))).toBe(true);
    expect(sourcePayload('exc_open000000')).toBe(payload('S-open'));
    expect(sourcePayload('exc_dead000000')).toBe(payload('S-dead'));
    expect(store.audit.verify()).toMatchObject({ ok: true });
  });
});
