import { ConsecutiveBreaker, ExponentialBackoff, noJitterGenerator, type IBackoff } from 'cockatiel';

/** When a connection's breaker opens and how long it waits before each probe. */
export interface BreakerPolicy {
  /** Consecutive whole calls that failed transiently before the breaker opens. */
  readonly threshold: number;
  /** The wait before the first probe; it doubles for each failed probe. */
  readonly firstProbeMs: number;
  /** The longest wait between probes. */
  readonly maxProbeMs: number;
}

/**
 * Three consecutive failed calls: the pipeline sends a wholly failed chunk four times (three waits,
 * 250 ms → 4 s), so a real outage opens the breaker within the run that meets it, and the run waits
 * instead of failing. One or two failures (a restart of Odoo's workers) stay a retry. The first
 * probe after 15 s, then 30 s, 1 min … at most every 5 minutes.
 */
export const DEFAULT_BREAKER_POLICY: BreakerPolicy = {
  threshold: 3,
  firstProbeMs: 15_000,
  maxProbeMs: 300_000,
};

/** The policy for one connection: its own threshold (connection settings, optional) over the base. */
export function connectionBreakerPolicy(
  settings: Readonly<Record<string, unknown>> | undefined,
  base: BreakerPolicy,
): BreakerPolicy {
  const own = settings?.breakerThreshold;
  return typeof own === 'number' ? { ...base, threshold: own } : base;
}

/**
 * Counts one more consecutive failure with cockatiel's ConsecutiveBreaker (its count restored from
 * the store, since a breaker outlives the run and the process): whether the breaker opens now.
 */
export function opensAfterFailure(policy: BreakerPolicy, failuresBefore: number): boolean {
  const breaker = new ConsecutiveBreaker(policy.threshold);
  breaker.state = failuresBefore;
  return breaker.failure();
}

/** The wait before the next probe when `failedProbes` probes have failed since the breaker opened. */
export function probeDelayMs(policy: BreakerPolicy, failedProbes: number): number {
  const factory = new ExponentialBackoff({
    generator: noJitterGenerator,
    initialDelay: policy.firstProbeMs,
    maxDelay: Math.max(policy.firstProbeMs, policy.maxProbeMs),
    exponent: 2,
  });
  let backoff: IBackoff<unknown> = factory.next();
  for (let probe = 0; probe < failedProbes && backoff.duration < policy.maxProbeMs; probe += 1) {
    backoff = backoff.next(undefined);
  }
  return backoff.duration;
}
