import { describe, expect, it } from 'vitest';
import { Throttle } from '../../../main/connectors/odoo/throttle.js';
import { ConnectorError } from '../../../main/connectors/types.js';

/** Concurrency bound of the throttle, driven by tasks the test releases by hand. */

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe('Throttle', () => {
  it('runs at most maxConcurrentCalls tasks at once and starts queued ones in order', async () => {
    const throttle = new Throttle({ maxConcurrentCalls: 2, maxCallsPerSecond: 100 });
    const gates = Array.from({ length: 5 }, deferred);
    const started: number[] = [];
    let running = 0;
    let peak = 0;
    const tasks = gates.map((gate, index) =>
      throttle.run(async () => {
        started.push(index);
        running += 1;
        peak = Math.max(peak, running);
        await gate.promise;
        running -= 1;
        return index;
      }),
    );
    for (let round = 0; round < 20 && started.length < 2; round += 1)
      await new Promise((resolve) => setTimeout(resolve, 5));
    expect(started).toEqual([0, 1]);
    for (const gate of gates) gate.resolve();
    expect(await Promise.all(tasks)).toEqual([0, 1, 2, 3, 4]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
    expect(throttle.peakConcurrency).toBe(2);
  });

  it('turns a cancelled queued call into a transient cancellation', async () => {
    const throttle = new Throttle({ maxConcurrentCalls: 1, maxCallsPerSecond: 100 });
    const gate = deferred();
    const first = throttle.run(() => gate.promise);
    const controller = new AbortController();
    const queued = throttle.run(() => Promise.resolve('never'), controller.signal);
    controller.abort();
    gate.resolve();
    await first;
    const error = (await queued.catch((caught: unknown) => caught)) as ConnectorError;
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error.code).toBe('net.cancelled');
  });

  it('passes task errors through unchanged', async () => {
    const throttle = new Throttle({ maxConcurrentCalls: 1, maxCallsPerSecond: 100 });
    const failure = new ConnectorError('permanent', 'odoo.x', 'boom');
    await expect(throttle.run(() => Promise.reject(failure))).rejects.toBe(failure);
  });
});
