import { abortableSleep } from './retry-timing.js';

/**
 * The console's one token bucket: at most `ratePerSecond` on average, with a burst of `burst` after
 * a quiet period. Two ways to take a token: `acquire` waits for one (Odoo calls, served strictly in
 * arrival order), `tryTake` never waits and says how long until one is back (an inbound webhook
 * source answered 429 with that Retry-After). Time is injected so tests drive it without waiting.
 */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: abortableSleep,
};

export class TokenBucket {
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly clock: Clock = systemClock,
  ) {
    if (!(ratePerSecond > 0) || !(burst >= 1)) throw new RangeError('rate must be > 0 and burst >= 1');
    this.tokens = burst;
    this.last = clock.now();
  }

  /** Resolves when the caller may make one call; rejects if `signal` aborts while waiting. */
  acquire(signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(() => this.takeWhenDue(signal));
    // A cancelled waiter must not block the ones behind it.
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Takes a token if one is there (answers 0), else answers the ms until one is, taking nothing. */
  tryTake(): number {
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return ((1 - this.tokens) / this.ratePerSecond) * 1000;
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
    this.last = now;
  }

  private async takeWhenDue(signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (signal?.aborted === true) throw signal.reason as Error;
      const waitMs = this.tryTake();
      if (waitMs === 0) return;
      await this.clock.sleep(waitMs, signal);
    }
  }
}
