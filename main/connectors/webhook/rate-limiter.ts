/**
 * Per-source token bucket: `ratePerMinute` tokens refilled continuously, at most one minute's worth
 * stored. A refused request learns when one token will be back (the Retry-After it is sent).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; atMs: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Take one token for `key`; returns 0 when allowed, else the seconds until one is available. */
  take(key: string, ratePerMinute: number): number {
    const now = this.now();
    const perMs = ratePerMinute / 60_000;
    const bucket = this.buckets.get(key) ?? { tokens: ratePerMinute, atMs: now };
    bucket.tokens = Math.min(ratePerMinute, bucket.tokens + (now - bucket.atMs) * perMs);
    bucket.atMs = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
  }
}
