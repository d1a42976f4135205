import { describe, expect, it } from 'vitest';
import { orderWaves } from '../../../main/engine/pipeline/order-waves.js';
import { prefetchOne } from '../../../main/engine/pipeline/prefetch.js';
import { RunCancelled, RunControl } from '../../../main/engine/pipeline/run-control.js';
import { loadChunk, TargetUnavailable } from '../../../main/engine/pipeline/load-chunk.js';
import { deadOwners } from '../../../main/engine/runner/lease-owner.js';
import type { MappedRecord } from '../../../main/engine/pipeline/map-page.js';
import type { Target, WriteRequest } from '../../../main/connectors/types.js';

const rec = (key: string, orderKey = key) => ({ key, orderKey, id: `${key}/${orderKey}` });

describe('orderWaves', () => {
  it('keeps records of one key in order across waves and never puts a key twice in a call', () => {
    const chunks = orderWaves([rec('a'), rec('b'), rec('a'), rec('c'), rec('a')], 10);
    expect(chunks.map((chunk) => chunk.map((r) => r.key))).toEqual([['a', 'b', 'c'], ['a'], ['a']]);
  });
  it('orders by the ordering key, and cuts waves into batches', () => {
    const chunks = orderWaves([rec('1', 'p'), rec('2', 'p'), rec('3', 'q'), rec('4', 'r'), rec('5', 's')], 2);
    expect(chunks.map((chunk) => chunk.map((r) => r.key))).toEqual([['1', '3'], ['4', '5'], ['2']]);
  });
  it('an empty page gives no chunks', () => {
    expect(orderWaves([], 5)).toEqual([]);
  });
});

describe('prefetchOne', () => {
  it('reads one page ahead, never more', async () => {
    const requested: number[] = [];
    async function* pages(): AsyncGenerator<number> {
      for (let page = 0; page < 4; page += 1) {
        await Promise.resolve();
        requested.push(page);
        yield page;
      }
    }
    const seen: [number, number][] = [];
    for await (const page of prefetchOne(pages())) seen.push([page, requested.length]);
    expect(seen).toEqual([
      [0, 2],
      [1, 3],
      [2, 4],
      [3, 4],
    ]);
  });
  it('a failing read-ahead surfaces at the next page, not as an unhandled rejection', async () => {
    async function* pages(): AsyncGenerator<number> {
      yield await Promise.resolve(1);
      throw new Error('source broke');
    }
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const page of prefetchOne(pages())) seen.push(page);
      })(),
    ).rejects.toThrow('source broke');
    expect(seen).toEqual([1]);
  });
});

describe('RunControl', () => {
  it('pauses at a checkpoint until resumed', async () => {
    const control = new RunControl();
    control.pause();
    let passed = false;
    const waiting = control.checkpoint().then(() => {
      passed = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(passed).toBe(false);
    control.resume();
    await waiting;
    expect(passed).toBe(true);
  });
  it('cancel ends a paused run and aborts in-flight calls when stopped hard', async () => {
    const control = new RunControl();
    control.pause();
    const waiting = control.checkpoint();
    control.cancel();
    await expect(waiting).rejects.toThrow(RunCancelled);
    const hard = new RunControl();
    hard.abortNow();
    expect(hard.signal.aborted).toBe(true);
  });
});

describe('loadChunk', () => {
  const chunk = [
    { key: 'a', payload: {} },
    { key: 'b', payload: {} },
  ] as unknown as MappedRecord[];
  const target = (answers: ('ok' | 'transient' | 'permanent')[][]): Target & { calls: number } => {
    const t = {
      system: 'test',
      calls: 0,
      write(request: WriteRequest) {
        const answer = answers[Math.min(t.calls, answers.length - 1)]!;
        t.calls += 1;
        return Promise.resolve(
          request.records.map((r, i) =>
            answer[i] === 'ok'
              ? { key: r.key, ok: true as const, targetId: '1', created: true }
              : {
                  key: r.key,
                  ok: false as const,
                  error: { class: answer[i] as 'transient' | 'permanent', code: 'x', message: 'down' },
                },
          ),
        );
      },
    };
    return t;
  };
  const noSleep = () => Promise.resolve();

  it('retries a chunk that failed entirely for transient reasons, then gives up without storing failures', async () => {
    const down = target([['transient', 'transient']]);
    await expect(
      loadChunk(chunk, {
        target: down,
        operation: {},
        signal: new AbortController().signal,
        retryDelaysMs: [1, 1],
        sleep: noSleep,
      }),
    ).rejects.toThrow(TargetUnavailable);
    expect(down.calls).toBe(3);
    const recovers = target([
      ['transient', 'transient'],
      ['ok', 'ok'],
    ]);
    const outcomes = await loadChunk(chunk, {
      target: recovers,
      operation: {},
      signal: new AbortController().signal,
      retryDelaysMs: [1],
      sleep: noSleep,
    });
    expect(outcomes.every((o) => o.ok)).toBe(true);
  });
  it('a partly failed chunk is a data problem: no retry', async () => {
    const partial = target([['ok', 'permanent']]);
    const outcomes = await loadChunk(chunk, {
      target: partial,
      operation: {},
      signal: new AbortController().signal,
      retryDelaysMs: [1],
      sleep: noSleep,
    });
    expect(outcomes.map((o) => o.ok)).toEqual([true, false]);
    expect(partial.calls).toBe(1);
  });
});

describe('deadOwners', () => {
  it('an older engine of this process and a vanished process are dead; a live one is not', () => {
    const self = `${process.pid}:new`;
    const dead = deadOwners(
      [self, `${process.pid}:old`, '999999999:x', `${process.ppid}:other`, 'garbage'],
      self,
    );
    expect(dead.sort()).toEqual([`${process.pid}:old`, '999999999:x', 'garbage'].sort());
  });
});
