import { systemClock, TokenBucket } from '../http/token-bucket.js';

/**
 * Per-source limits for inbound webhooks: one token bucket per source (`ratePerMinute` tokens
 * refilled continuously, at most one minute's worth stored). A refused request learns when one
 * token will be back (the Retry-After it is sent).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Take one token for `key`; returns 0 when allowed, else the seconds until one is available. */
  take(key: string, ratePerMinute: number): number {
    const ratePerSecond = ratePerMinute / 60;
    let bucket = this.buckets.get(key);
    // A changed limit starts a fresh bucket at the new size.
    if (bucket?.ratePerSecond !== ratePerSecond) {
      bucket = new TokenBucket(ratePerSecond, Math.max(1, ratePerMinute), {
        now: this.now,
        sleep: (ms, signal) => systemClock.sleep(ms, signal),
      });
      this.buckets.set(key, bucket);
    }
    const waitMs = bucket.tryTake();
    return waitMs === 0 ? 0 : Math.max(1, Math.ceil(waitMs / 1000));
  }
}
