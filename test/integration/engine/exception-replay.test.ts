import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Target, TargetOutcome, WriteRequest } from '../../../main/connectors/types.js';
import { EngineCore, type EngineCoreOptions } from '../../../main/engine/runner/engine-core.js';
import { EngineRequestError } from '../../../main/engine/runner/engine-errors.js';
import { ExceptionsRepo } from '../../../main/engine/store/exceptions-repo.js';
import { RunsRepo } from '../../../main/engine/store/runs-repo.js';
import { openStore } from '../../../main/store/open-store.js';
import type { Store } from '../../../main/store/types.js';
import { AppendableSource, item } from './appendable-source.js';
import { seedItemsFlow } from './items-flow-seed.js';
import { makeTempDir } from '../../support/temp-dir.js';

/**
 * Retries and replays of exceptions on a real store and the real engine: a replay run sends the
 * stored source payloads through the ordinary write path (active mapping, validation, upsert by
 * external id, lineage, resolution in the batch commit), never reading the source again. The
 * target counts its writes per key and keeps the records it holds, so a duplicate would show.
 */
/**
 * An upsert-by-external-id target: a key it holds is updated, a new one created. Refuses value 13
 * as bad data (until `accept13`), and answers 503 for the keys in `unavailable` (a count each).
 */
class CountingTarget implements Target {
  readonly system = 'script';
  readonly held = new Map<string, unknown>();
  readonly writes = new Map<string, number>();
  readonly unavailable = new Map<string, number>();
  accept13 = false;
  write(request: WriteRequest): Promise<TargetOutcome[]> {
    return Promise.resolve(
      request.records.map((r): TargetOutcome => {
        this.writes.set(r.key, (this.writes.get(r.key) ?? 0) + 1);
        const left = this.unavailable.get(r.key) ?? 0;
        if (left > 0) {
          this.unavailable.set(r.key, left - 1);
          return {
            key: r.key,
            ok: false,
            error: { class: 'transient', code: 'http.503', message: 'Service Unavailable' },
          };
        }
        if (r.payload.value === 13 && !this.accept13)
          return {
            key: r.key,
            ok: false,
            error: { class: 'permanent', code: 'odoo.ValidationError', message: `value: 13 is unlucky` },
          };
        const created = !this.held.has(r.key);
        this.held.set(r.key, r.payload);
        return { key: r.key, ok: true, targetId: `id-${r.key}`, created };
      }),
    );
  }
  writesOf(key: string): number {
    return this.writes.get(key) ?? 0;
  }
}

describe('exception retries and replays', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let store: Store;
  let flowId: string;
  let source: AppendableSource;
  let target: CountingTarget;
  let core: EngineCore;
  let repo: ExceptionsRepo;

  function start(options: Partial<EngineCoreOptions> = {}): void {
    core = new EngineCore({
      store,
      secrets: { read: () => Promise.resolve(null) },
      emit: () => undefined,
      endpoints: {
        source: () => ({ endpoint: source, close: () => Promise.resolve() }),
        target: () => ({ endpoint: target, close: () => Promise.resolve() }),
      },
      retryDelaysMs: [1],
      ...options,
    });
  }

  async function runOnce(): Promise<string> {
    const run = core.enqueue({ flowId, trigger: 'manual', requestedBy: 'test' });
    await sleep(1);
    await core.idle();
    return run.id;
  }

  async function until(check: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(10);
    }
  }

  const exceptionOf = (sourceId: string) => {
    const found = repo.list({ flowId }, undefined, 500).items.find((e) => e.sourceId === sourceId);
    if (!found) throw new Error(`no exception for ${sourceId}`);
    return found;
  };
  const column = <T>(sql: string, ...params: unknown[]): T =>
    store.db
      .prepare(sql)
      .pluck()
      .get(...params) as T;

  beforeEach(() => {
    temp = makeTempDir('osc-replay-');
    flowId = seedItemsFlow(temp.dir, {
      batchSize: 50,
      rules: [
        { id: 'value-number', expression: '$type(value) = "number"', message: 'value must be a number' },
      ],
    });
    store = openStore({ dataDir: temp.dir, log: { warn: () => undefined } });
    source = new AppendableSource();
    target = new CountingTarget();
    repo = new ExceptionsRepo(store.db);
  });
  afterEach(async () => {
    await core.stop();
    store.close();
    temp.cleanup();
  });

  it('a transient failure is retried with backoff by replay runs and resolved without a human', async () => {
    start({ autoRetry: { limit: 5, initialDelayMs: 30, maxDelayMs: 200 }, autoRetryEveryMs: 10 });
    // First run: a fails 503 once; each replay run tries twice (one chunk retry); the 4th write passes.
    target.unavailable.set('item_a', 3);
    source.append(item('a', 1), item('b', 2));
    const first = await runOnce();
    const waiting = exceptionOf('Item/a');
    expect(waiting).toMatchObject({ class: 'transient', state: 'retrying' });
    const firstDue = column<string>('SELECT next_attempt_at FROM exceptions WHERE id = ?', waiting.id);
    // Backoff with jitter: due no earlier than the failure and no later than the policy's largest delay.
    const waitMs = Date.parse(firstDue) - Date.parse(waiting.lastFailedAt);
    expect(waitMs).toBeGreaterThanOrEqual(0);
    expect(waitMs).toBeLessThanOrEqual(200);
    const readsBefore = source.reads;
    // The counter counts: the first run did read the source (else "never read again" proves nothing).
    expect(readsBefore).toBeGreaterThan(0);

    core.recover();
    await until(() => repo.summary(waiting.id).state === 'resolved', 'the retry to resolve a');
    await core.idle();
    const resolved = repo.get(waiting.id);
    const runs = new RunsRepo(store.db);
    const resolvedBy = runs.get(resolved.resolvedByRun ?? '');
    expect(resolvedBy).toMatchObject({ trigger: 'replay', requestedBy: 'engine:auto-retry', flowId });
    expect(resolvedBy?.counts).toMatchObject({ read: 1, written: 1, failed: 0 });
    expect(resolved.attemptHistory.map((a) => a.outcome)).toEqual(['failed', 'failed', 'succeeded']);
    expect(resolved.attemptHistory[0]?.runId).toBe(first);
    expect(column<number>('SELECT auto_retries FROM exceptions WHERE id = ?', waiting.id)).toBe(2);
    expect(
      column<string | null>('SELECT next_attempt_at FROM exceptions WHERE id = ?', waiting.id),
    ).toBeNull();
    // The source was never read again, b was never sent again, a exists once in the target.
    expect(source.reads).toBe(readsBefore);
    expect(target.writesOf('item_b')).toBe(1);
    expect(target.writesOf('item_a')).toBe(4);
    expect([...target.held.keys()].sort()).toEqual(['item_a', 'item_b']);
  });

  it('a transient failure that keeps failing goes dead after its limit; a permanent one is never retried automatically', async () => {
    start({ autoRetry: { limit: 2, initialDelayMs: 10, maxDelayMs: 50 }, autoRetryEveryMs: 10 });
    target.unavailable.set('item_a', 1_000_000);
    source.append(item('a', 1), item('b', 13), item('c', 3));
    await runOnce();
    const a = exceptionOf('Item/a');
    const b = exceptionOf('Item/b');
    expect(repo.summary(b.id)).toMatchObject({ class: 'data', state: 'open' });

    core.recover();
    await until(() => repo.summary(a.id).state === 'dead', 'a to go dead');
    await core.idle();
    // One attempt from the run and one per automatic retry, then no more.
    expect(repo.summary(a.id).attempts).toBe(3);
    expect(column<string | null>('SELECT next_attempt_at FROM exceptions WHERE id = ?', a.id)).toBeNull();
    const writes = target.writesOf('item_a');
    await sleep(150);
    expect(target.writesOf('item_a')).toBe(writes);
    expect(repo.summary(b.id)).toMatchObject({ state: 'open', attempts: 1 });
    expect(target.writesOf('item_b')).toBe(1);
    expect(new RunsRepo(store.db).list(flowId, 50).filter((r) => r.trigger === 'replay')).toHaveLength(2);
  });

  it('a retry of a group sends exactly its records once each; one already in the target is updated, not created again', async () => {
    start({ autoRetryEveryMs: 0 });
    // x was written before; its new version fails like the 30 others.
    source.append(item('x', 1));
    await runOnce();
    const ids = Array.from({ length: 30 }, (_, n) => `g${n}`);
    source.append(item('x', 13), ...ids.map((id) => item(id, 13)), item('ok', 2));
    await runOnce();
    const group = exceptionOf('Item/g0').signature;
    const selected = repo.unsettledIds({ signature: group }, 10_001);
    expect(selected).toHaveLength(31);
    const before = new Map(target.writes);

    target.accept13 = true;
    const started = core.retryExceptions(selected, 'fin');
    expect(started).toMatchObject({ skipped: 0, runs: [{ flowId, count: 31 }] });
    await sleep(1);
    await core.idle();

    for (const key of [...ids.map((id) => `item_${id}`), 'item_x']) {
      expect(target.writesOf(key) - (before.get(key) ?? 0), key).toBe(1);
    }
    expect(target.writesOf('item_ok')).toBe(before.get('item_ok'));
    const runId = started.runs[0]?.runId ?? '';
    expect(new RunsRepo(store.db).get(runId)).toMatchObject({
      trigger: 'replay',
      requestedBy: 'fin',
      status: 'succeeded',
      counts: { read: 31, mapped: 31, written: 31, failed: 0, unchanged: 0 },
    });
    const outcomes = store.db
      .prepare(
        'SELECT outcome, count(*) AS n FROM lineage WHERE run_id = ? GROUP BY outcome ORDER BY outcome',
      )
      .all(runId);
    expect(outcomes).toEqual([
      { outcome: 'created', n: 30 },
      { outcome: 'updated', n: 1 },
    ]);
    expect(repo.counts()).toEqual([]);
    // Retrying them again sends nothing: they are settled.
    expect(core.retryExceptions(selected, 'fin')).toEqual({ runs: [], skipped: 31 });
  });

  it('edit-and-replay keeps the original payload, stores the edit as a child and lands the record; an invalid edit sends nothing', async () => {
    start({ autoRetryEveryMs: 0 });
    source.append(item('a', 13), item('b', 2));
    await runOnce();
    const a = exceptionOf('Item/a');
    const writes = target.writesOf('item_a');
    const runsBefore = new RunsRepo(store.db).list(flowId, 50).length;

    const refused = await core
      .replayEdited(a.id, { id: 'a', value: 'fourteen' }, 'fin')
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(EngineRequestError);
    expect(refused).toMatchObject({ code: 'invalid-input' });
    expect((refused as Error).message).toContain('value must be a number');
    expect(target.writesOf('item_a')).toBe(writes);
    expect(column<number>('SELECT count(*) FROM exception_edits')).toBe(0);
    expect(new RunsRepo(store.db).list(flowId, 50)).toHaveLength(runsBefore);

    const started = await core.replayEdited(a.id, { id: 'a', value: 14, note: 'fixed' }, 'fin');
    await sleep(1);
    await core.idle();
    expect(target.held.get('item_a')).toEqual({ value: 14 });
    expect(target.writesOf('item_a')).toBe(writes + 1);
    const detail = repo.get(a.id);
    expect(detail).toMatchObject({ state: 'resolved', resolvedByRun: started.runs[0]?.runId });
    expect(detail.sourcePayload).toEqual({ id: 'a', value: 13 });
    const edits = store.db
      .prepare('SELECT exception_id, source_payload, edited_by FROM exception_edits')
      .all();
    expect(edits).toEqual([
      {
        exception_id: a.id,
        source_payload: JSON.stringify({ id: 'a', value: 14, note: 'fixed' }),
        edited_by: 'fin',
      },
    ]);
    expect(() => store.db.prepare("UPDATE exception_edits SET source_payload = '{}'").run()).toThrow(
      /never changes/,
    );
  });

  it('a record skipped as unchanged resolves the exception a failure after its last write left open', async () => {
    start({ autoRetryEveryMs: 0 });
    source.append(item('b', 1));
    await runOnce();
    source.append(item('b', 13));
    await runOnce();
    const b = exceptionOf('Item/b');
    expect(b.state).toBe('open');
    // The source goes back to what the target already holds: nothing to write, nothing left to fix.
    source.append(item('b', 1));
    const third = await runOnce();
    expect(new RunsRepo(store.db).get(third)?.counts).toMatchObject({ unchanged: 1, written: 0 });
    expect(repo.get(b.id)).toMatchObject({ state: 'resolved', resolvedByRun: third });
    expect(repo.get(b.id).resolution).toContain('already holds');
    expect(target.writesOf('item_b')).toBe(2);
  });

  it('replays a record larger than the failure history keeps (256 KiB) whole; one beyond the replayable size is never sent as a stand-in', async () => {
    start({ autoRetryEveryMs: 0 });
    const big = { id: 'big', value: 13, note: 'b'.repeat(300 * 1024) };
    const huge = { id: 'huge', value: 13, note: 'h'.repeat(4 * 1024 * 1024 + 1) };
    const record = (data: { id: string; value: number }) => ({
      type: 'Item',
      sourceId: `Item/${data.id}`,
      version: '13',
      updatedAt: null,
      data,
    });
    source.append(record(big), record(huge));
    await runOnce();
    const bigId = exceptionOf('Item/big').id;
    const hugeId = exceptionOf('Item/huge').id;
    // The run's failure history keeps a short stand-in; the exception keeps what a retry sends.
    const history = column<string>("SELECT source_payload FROM record_failures WHERE source_id = 'Item/big'");
    expect(history.length).toBeLessThan(10_000);
    expect(JSON.parse(JSON.stringify(repo.get(bigId).sourcePayload))).toEqual(big);

    target.accept13 = true;
    const started = core.retryExceptions([bigId, hugeId], 'fin');
    expect(started).toMatchObject({ skipped: 1, runs: [{ flowId, count: 1 }] });
    await sleep(1);
    await core.idle();
    expect(target.held.get('item_big')).toMatchObject({ value: 13 });
    expect(repo.get(bigId).state).toBe('resolved');
    // The huge one was not sent (its stand-in is not the record) and waits for a person.
    expect(target.writesOf('item_huge')).toBe(1);
    expect(repo.get(hugeId).state).toBe('open');
  });
});
