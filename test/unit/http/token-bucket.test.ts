import { describe, expect, it } from 'vitest';
import { TokenBucket, type Clock } from '../../../main/connectors/http/token-bucket.js';

/** A manual clock: sleeping advances time instantly, so the test measures virtual time exactly. */
class ManualClock implements Clock {
  time = 0;
  readonly sleeps: number[] = [];
  now(): number {
    return this.time;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted === true) return Promise.reject(signal.reason as Error);
    this.sleeps.push(ms);
    this.time += ms;
    return Promise.resolve();
  }
}

describe('TokenBucket', () => {
  it('lets a burst through, then spaces calls at the rate', async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket(10, 3, clock);
    const startedAt: number[] = [];
    for (let index = 0; index < 8; index += 1) {
      await bucket.acquire();
      startedAt.push(clock.now());
    }
    expect(startedAt.slice(0, 3)).toEqual([0, 0, 0]);
    // After the burst, one call per 100 ms of virtual time.
    const gaps = startedAt.slice(3).map((time, index) => time - (startedAt[index + 2] ?? 0));
    for (const gap of gaps) expect(gap).toBeCloseTo(100, 6);
  });

  it('never exceeds rate × window + burst calls in any window', async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket(5, 2, clock);
    const times: number[] = [];
    for (let index = 0; index < 30; index += 1) {
      await bucket.acquire();
      times.push(clock.now());
    }
    for (const start of times) {
      const inWindow = times.filter((time) => time >= start && time < start + 1000).length;
      expect(inWindow).toBeLessThanOrEqual(5 + 2);
    }
  });

  it('serves waiters in arrival order', async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket(1, 1, clock);
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3].map((index) => bucket.acquire().then(() => order.push(index))));
    expect(order).toEqual([0, 1, 2, 3]);
  });

  it('rejects an aborted waiter without blocking the next one', async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket(1, 1, clock);
    await bucket.acquire();
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(bucket.acquire(controller.signal)).rejects.toThrow('stop');
    await expect(bucket.acquire()).resolves.toBeUndefined();
  });

  it('tryTake never waits: it takes a token or answers the ms until one is back, taking nothing', async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket(2, 2, clock);
    expect(bucket.tryTake()).toBe(0);
    expect(bucket.tryTake()).toBe(0);
    expect(bucket.tryTake()).toBeCloseTo(500, 6);
    clock.time += 200;
    // A refusal took nothing: 200 ms later the wait is 300 ms, not 800.
    expect(bucket.tryTake()).toBeCloseTo(300, 6);
    clock.time += 300;
    expect(bucket.tryTake()).toBe(0);
    // The waiting side shares the same tokens: the next acquire sleeps the full half second.
    await bucket.acquire();
    expect(clock.sleeps).toEqual([expect.closeTo(500, 6) as unknown]);
    expect(clock.sleeps).toHaveLength(1);
  });

  it('refuses nonsensical limits', () => {
    expect(() => new TokenBucket(0, 1)).toThrow(RangeError);
    expect(() => new TokenBucket(1, 0)).toThrow(RangeError);
  });
});
