import { ExponentialBackoff } from 'cockatiel';

/**
 * How transient exceptions are retried without a human: after each transient failure the next
 * replay waits an exponentially growing delay with jitter (cockatiel's decorrelated jitter), until
 * `limit` automatic retries were scheduled; the next transient failure makes the exception `dead`.
 * The console default is 5 retries from 30 s up to 30 min (README, Exceptions).
 */
export interface AutoRetryPolicy {
  readonly limit: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_AUTO_RETRY: AutoRetryPolicy = {
  limit: 5,
  initialDelayMs: 30_000,
  maxDelayMs: 30 * 60_000,
};

/**
 * The delay before automatic retry number `retryNo` (0 for the first). The sequence is walked from
 * its start every time: the store keeps only the count, so a restart continues the same schedule.
 */
export function retryDelayMs(policy: AutoRetryPolicy, retryNo: number): number {
  let backoff = new ExponentialBackoff({
    initialDelay: policy.initialDelayMs,
    maxDelay: policy.maxDelayMs,
  }).next();
  for (let step = 0; step < retryNo; step += 1) backoff = backoff.next(undefined);
  return Math.max(0, Math.round(backoff.duration));
}

/**
 * How exceptions waiting for a referenced record (an `await-reference` fix) are replayed without a
 * run to prompt them: from 1 minute growing to 1 hour, for as long as they wait (no limit: a missing
 * reference is not a failing target, and it never makes them dead).
 */
export const REFERENCE_RETRY_BACKOFF: AutoRetryPolicy = {
  limit: Number.POSITIVE_INFINITY,
  initialDelayMs: 60_000,
  maxDelayMs: 60 * 60_000,
};
