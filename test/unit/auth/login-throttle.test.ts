import { describe, expect, it } from 'vitest';
import { LoginThrottle } from '../../../main/auth/login-throttle.js';

describe('login throttle', () => {
  it('allows five failures, then pauses with growing waits, per username', () => {
    let now = 0;
    const throttle = new LoginThrottle(() => now);
    for (let i = 0; i < 4; i += 1) throttle.recordFailure('ana');
    expect(throttle.waitFor('ana')).toBe(0);
    throttle.recordFailure('ana');
    expect(throttle.waitFor('ana')).toBe(30_000);
    expect(throttle.waitFor('ben')).toBe(0);
    now += 30_000;
    expect(throttle.waitFor('ana')).toBe(0);
    throttle.recordFailure('ana');
    expect(throttle.waitFor('ana')).toBe(60_000);
    throttle.recordSuccess('ana');
    expect(throttle.waitFor('ana')).toBe(0);
  });

  it('caps the pause at fifteen minutes', () => {
    const throttle = new LoginThrottle(() => 0);
    for (let i = 0; i < 40; i += 1) throttle.recordFailure('ana');
    expect(throttle.waitFor('ana')).toBe(15 * 60_000);
  });
});
