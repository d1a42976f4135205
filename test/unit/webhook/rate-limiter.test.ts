import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../main/connectors/webhook/rate-limiter.js';

describe('per-source rate limiter', () => {
  it('allows a minute of burst, then says when to come back, and refills over time', () => {
    let now = 0;
    const limiter = new RateLimiter(() => now);
    for (let index = 0; index < 6; index += 1) expect(limiter.take('a', 6)).toBe(0);
    expect(limiter.take('a', 6)).toBe(10); // one token every 10 s
    now += 5_000;
    expect(limiter.take('a', 6)).toBe(5);
    now += 5_000;
    expect(limiter.take('a', 6)).toBe(0);
  });

  it('keeps sources apart', () => {
    const limiter = new RateLimiter(() => 0);
    expect(limiter.take('a', 1)).toBe(0);
    expect(limiter.take('a', 1)).toBeGreaterThan(0);
    expect(limiter.take('b', 1)).toBe(0);
  });
});
