import { describe, expect, it } from 'vitest';
import { withRetries, type RetryEvent } from '../../../main/connectors/http/retry-timing.js';

class Flaky extends Error {
  constructor(readonly retryAfterMs: number | null = null) {
    super('flaky');
  }
}

const retryable = (error: Error): boolean => error instanceof Flaky;
const askedPause = (error: Error): number | null => (error instanceof Flaky ? error.retryAfterMs : null);

describe('withRetries (cockatiel retry, abortable pauses)', () => {
  it('retries a retryable failure until it succeeds, pausing with jitter under the backoff cap', async () => {
    const events: RetryEvent[] = [];
    const seen: number[] = [];
    const value = await withRetries(
      (attempt) => {
        seen.push(attempt);
        return attempt < 3 ? Promise.reject(new Flaky()) : Promise.resolve('done');
      },
      {
        schedule: { attempts: 5, baseDelayMs: 4, maxDelayMs: 6 },
        isRetryable: retryable,
        onRetry: (event) => events.push(event),
      },
    );
    expect(value).toBe('done');
    expect(seen).toEqual([1, 2, 3]);
    expect(events.map((event) => event.attempt)).toEqual([1, 2]);
    for (const event of events) {
      expect(event.delayMs).toBeGreaterThanOrEqual(0);
      expect(event.delayMs).toBeLessThanOrEqual(6);
    }
  });

  it('gives up after the schedule’s attempts, and never retries what is not retryable', async () => {
    let calls = 0;
    const always = withRetries(
      () => {
        calls += 1;
        return Promise.reject(new Flaky());
      },
      { schedule: { attempts: 3, baseDelayMs: 0, maxDelayMs: 0 }, isRetryable: retryable },
    );
    await expect(always).rejects.toBeInstanceOf(Flaky);
    expect(calls).toBe(3);

    let permanentCalls = 0;
    const permanent = withRetries(
      () => {
        permanentCalls += 1;
        return Promise.reject(new Error('bad request'));
      },
      { schedule: { attempts: 3, baseDelayMs: 0, maxDelayMs: 0 }, isRetryable: retryable },
    );
    await expect(permanent).rejects.toThrow('bad request');
    expect(permanentCalls).toBe(1);
  });

  it("a peer's Retry-After replaces the backoff for that attempt, capped", async () => {
    const delays: number[] = [];
    const answers = [new Flaky(30), new Flaky(10_000), new Flaky(null)];
    await withRetries(
      (attempt) => (attempt <= 3 ? Promise.reject(answers[attempt - 1]!) : Promise.resolve()),
      {
        schedule: { attempts: 4, baseDelayMs: 1, maxDelayMs: 40 },
        isRetryable: retryable,
        retryAfterMs: askedPause,
        onRetry: (event) => delays.push(event.delayMs),
      },
    );
    expect(delays[0]).toBe(30);
    expect(delays[1]).toBe(40);
    // No Retry-After: the jittered backoff (base 1 ms, third retry: at most 4 ms).
    expect(delays[2]).toBeLessThanOrEqual(4);
  });

  it('an abort cuts a long pause short with the signal’s reason, and nothing is tried again', async () => {
    const controller = new AbortController();
    let calls = 0;
    const pending = withRetries(
      () => {
        calls += 1;
        return Promise.reject(new Flaky(30_000));
      },
      {
        schedule: { attempts: 5, baseDelayMs: 1, maxDelayMs: 60_000 },
        isRetryable: retryable,
        retryAfterMs: askedPause,
        onRetry: () => setImmediate(() => controller.abort(new Error('run cancelled'))),
        signal: controller.signal,
      },
    );
    const started = Date.now();
    await expect(pending).rejects.toThrow('run cancelled');
    // Bounded, not a performance claim: the pause was 30 s; the abort ended it long before.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(calls).toBe(1);
  });
});
