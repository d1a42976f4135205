import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Target, TargetOutcome, WriteRequest } from '../../../main/connectors/types.js';
import { GuardedTarget } from '../../../main/engine/runner/guarded-target.js';
import { expectedDurationMs, TargetCalls } from '../../../main/engine/runner/target-calls.js';
import { openStore } from '../../../main/store/open-store.js';
import type { Store } from '../../../main/store/types.js';
import { makeTempDir } from '../../support/temp-dir.js';

/** The guard around a run's target: the ledger of calls in flight and the bound on every write. */
const request = (signal?: AbortSignal): WriteRequest => ({
  operation: { model: 'x' },
  records: [
    { key: 'a', payload: {} },
    { key: 'b', payload: {} },
  ],
  ...(signal === undefined ? {} : { signal }),
});
const ok = (write: WriteRequest): TargetOutcome[] =>
  write.records.map((record) => ({ key: record.key, ok: true, targetId: '1', created: true }));

describe('GuardedTarget', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let store: Store;
  let calls: TargetCalls;
  const rows = (): number =>
    (store.db.prepare('SELECT count(*) AS n FROM target_calls').get() as { n: number }).n;
  const guard = (target: Target, budgetMs = 60_000): GuardedTarget =>
    new GuardedTarget(target, { flowId: 'f', runId: 'r', owner: 'me', calls, timeoutMs: 5000, budgetMs });

  beforeEach(() => {
    temp = makeTempDir('osc-guard-');
    store = openStore({ dataDir: temp.dir, log: { warn: () => undefined } });
    calls = new TargetCalls(store.db);
  });
  afterEach(() => {
    store.close();
    temp.cleanup();
  });

  it('records a call while it is in flight and forgets it once answered, learning its duration', async () => {
    let inFlight = -1;
    const target: Target = {
      system: 't',
      write: async (write) => {
        inFlight = rows();
        await new Promise((resolve) => setTimeout(resolve, 30));
        return ok(write);
      },
    };
    expect(await guard(target).write(request())).toHaveLength(2);
    expect(inFlight).toBe(1);
    expect(rows()).toBe(0);
    expect(calls.timing('f')).toMatchObject({ records: 2 });
    expect(calls.timing('f')!.ms).toBeGreaterThanOrEqual(25);
    // The durable setting of the connection is back after the relaxed ledger write.
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2);
  });

  it('ends a write that hangs past its budget, with transient failures, and keeps its row', async () => {
    const target: Target = { system: 't', write: () => new Promise<TargetOutcome[]>(() => undefined) };
    const started = performance.now();
    const outcomes = await guard(target, 100).write(request());
    expect(performance.now() - started).toBeLessThan(4000);
    expect(outcomes.map((outcome) => (outcome.ok ? 'ok' : outcome.error.code))).toEqual([
      'engine.target-timeout',
      'engine.target-timeout',
    ]);
    expect(outcomes.every((outcome) => !outcome.ok && outcome.error.class === 'transient')).toBe(true);
    // The request may still be running in the target: the next write of the flow waits it out.
    expect(rows()).toBe(1);
  });

  it('aborts the connector at the budget, so a connector that listens returns at once', async () => {
    let sawAbort = false;
    const target: Target = {
      system: 't',
      write: (write) =>
        new Promise<TargetOutcome[]>((resolve) => {
          write.signal?.addEventListener('abort', () => {
            sawAbort = true;
            resolve(
              write.records.map((r) => ({
                key: r.key,
                ok: false,
                error: { class: 'transient', code: 'net.cancelled', message: 'x' },
              })),
            );
          });
        }),
    };
    const started = performance.now();
    await guard(target, 100).write(request());
    expect(sawAbort).toBe(true);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("passes the run's abort down through the same budget signal, and keeps the row of the cut call", async () => {
    const run = new AbortController();
    let seen: AbortSignal | undefined;
    const target: Target = {
      system: 't',
      write: (write) =>
        new Promise<TargetOutcome[]>((resolve) => {
          seen = write.signal;
          write.signal?.addEventListener('abort', () => resolve(ok(write)));
        }),
    };
    const pending = guard(target).write(request(run.signal));
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toBeDefined();
    expect(seen).not.toBe(run.signal);
    run.abort(new Error('cancelled'));
    await pending;
    expect(seen?.aborted).toBe(true);
    // Cut short: the call may still be running in the target, so its ledger row stays.
    expect(rows()).toBe(1);
  });

  it('waits for a call another engine left, then writes, and a cancelled run stops waiting', async () => {
    const sentAt = Date.now();
    store.db
      .prepare(
        `INSERT INTO target_calls (flow_id, run_id, owner, records, sent_at, timeout_ms, expected_ms)
         VALUES ('f', 'old', 'dead', 2, ?, 5000, 300)`,
      )
      .run(sentAt);
    let wroteAt = 0;
    const target: Target = {
      system: 't',
      write: (write) => {
        wroteAt = Date.now();
        return Promise.resolve(ok(write));
      },
    };
    await guard(target).write(request());
    expect(wroteAt - sentAt).toBeGreaterThanOrEqual(290);
    expect(rows()).toBe(0);

    store.db
      .prepare(
        `INSERT INTO target_calls (flow_id, run_id, owner, records, sent_at, timeout_ms, expected_ms)
         VALUES ('f', 'old', 'dead', 2, ?, 60000, 60000)`,
      )
      .run(Date.now());
    const cancel = new AbortController();
    setTimeout(() => cancel.abort(new Error('cancelled')), 50);
    await expect(guard(target).write(request(cancel.signal))).rejects.toThrow();
  });
});

describe('expectedDurationMs', () => {
  it('is the usual call plus a margin, scaled up (never down) with the size of the call', () => {
    expect(expectedDurationMs({ ms: 3000, records: 100 }, 100)).toBe(3300);
    expect(expectedDurationMs({ ms: 3000, records: 100 }, 20)).toBe(3300);
    expect(expectedDurationMs({ ms: 3000, records: 100 }, 200)).toBe(6600);
    expect(expectedDurationMs({ ms: 100, records: 10 }, 10)).toBe(350);
    // No timing yet: a guess from the number of records, far below a 30 s timeout.
    expect(expectedDurationMs(null, 100)).toBe(4000);
  });
});
