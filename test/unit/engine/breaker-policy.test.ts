import { describe, expect, it } from 'vitest';
import {
  connectionBreakerPolicy,
  DEFAULT_BREAKER_POLICY,
  opensAfterFailure,
  probeDelayMs,
} from '../../../main/engine/breakers/breaker-policy.js';

describe('breaker policy', () => {
  it('opens at the threshold of consecutive failures, not before', () => {
    const policy = { ...DEFAULT_BREAKER_POLICY, threshold: 3 };
    expect(opensAfterFailure(policy, 0)).toBe(false);
    expect(opensAfterFailure(policy, 1)).toBe(false);
    expect(opensAfterFailure(policy, 2)).toBe(true);
    expect(opensAfterFailure({ ...policy, threshold: 1 }, 0)).toBe(true);
  });

  it('waits 15 s before the first probe, doubles per failed probe, and never more than 5 minutes', () => {
    const waits = [0, 1, 2, 3, 4, 5, 6, 50].map((failed) => probeDelayMs(DEFAULT_BREAKER_POLICY, failed));
    expect(waits).toEqual([15_000, 30_000, 60_000, 120_000, 240_000, 300_000, 300_000, 300_000]);
  });

  it('a maximum below the first wait keeps the first wait (no shrinking backoff)', () => {
    expect(probeDelayMs({ threshold: 3, firstProbeMs: 10_000, maxProbeMs: 1_000 }, 3)).toBe(10_000);
  });

  it("takes a connection's own threshold from its settings, the default otherwise", () => {
    expect(connectionBreakerPolicy({ kind: 'odoo', breakerThreshold: 7 }, DEFAULT_BREAKER_POLICY)).toEqual({
      ...DEFAULT_BREAKER_POLICY,
      threshold: 7,
    });
    expect(connectionBreakerPolicy({ kind: 'odoo' }, DEFAULT_BREAKER_POLICY)).toBe(DEFAULT_BREAKER_POLICY);
    expect(connectionBreakerPolicy(undefined, DEFAULT_BREAKER_POLICY)).toBe(DEFAULT_BREAKER_POLICY);
  });
});
