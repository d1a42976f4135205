import { setTimeout as sleep } from 'node:timers/promises';
import {
  ConstantBackoff,
  ExponentialBackoff,
  fullJitterGenerator,
  handleWhen,
  retry,
  type IBackoff,
} from 'cockatiel';

/**
 * Retry timing shared by the connectors: cockatiel's exponential backoff with full jitter (so many
 * clients that failed together do not retry together), a peer's Retry-After in place of the backoff
 * for the attempt it answered, and a Retry-After parser that caps what a peer may ask for.
 */
export interface RetrySchedule {
  /** Attempts in all, the first included (1 = no retry). */
  readonly attempts: number;
  readonly baseDelayMs: number;
  /** Cap on every pause, a peer's Retry-After included. */
  readonly maxDelayMs: number;
}

export interface RetryEvent {
  /** The retry about to happen (1 = the first retry). */
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: Error;
}

export interface RetryOptions {
  readonly schedule: RetrySchedule;
  /** Whether this failure may be tried again (a cancelled call never is). */
  readonly isRetryable: (error: Error) => boolean;
  /** The pause the peer asked for with this failure (Retry-After, in ms), or null. */
  readonly retryAfterMs?: (error: Error) => number | null;
  /** Told before each pause, e.g. to record when the next attempt is due. */
  readonly onRetry?: (event: RetryEvent) => void;
  /** Stops the retries and cuts a pause short (rejecting with the signal's reason). */
  readonly signal?: AbortSignal;
}

/**
 * Runs `work` (given the attempt number, 1 = the first), retrying what `isRetryable` accepts.
 * cockatiel counts the attempts and sorts the failures; the pause itself is slept here with
 * node:timers/promises because cockatiel's own backoff sleep does not listen to an abort signal,
 * and a cancelled run must not sit out a peer's 30-second Retry-After.
 */
export async function withRetries<T>(
  work: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const { schedule, signal } = options;
  const exponential = new ExponentialBackoff({
    initialDelay: schedule.baseDelayMs,
    maxDelay: schedule.maxDelayMs,
    generator: fullJitterGenerator,
  });
  let backoff: IBackoff<unknown> | undefined;
  let pauseMs = 0;
  const policy = retry(
    handleWhen((error) => signal?.aborted !== true && options.isRetryable(error)),
    // The policy's own pause is zero: the real one (below) can be aborted.
    { maxAttempts: Math.max(0, schedule.attempts - 1), backoff: new ConstantBackoff(0) },
  );
  policy.onRetry((event) => {
    if (!('error' in event)) return;
    backoff = backoff === undefined ? exponential.next() : backoff.next(undefined);
    const asked = options.retryAfterMs?.(event.error) ?? null;
    pauseMs = Math.min(schedule.maxDelayMs, asked ?? backoff.duration);
    options.onRetry?.({ attempt: event.attempt, delayMs: pauseMs, error: event.error });
  });
  return policy.execute(async ({ attempt }) => {
    if (attempt > 0 && pauseMs > 0) await abortableSleep(pauseMs, signal);
    return work(attempt + 1);
  }, signal);
}

/** Retry-After in ms (delta-seconds or HTTP date), or null when absent or unreadable. */
export function parseRetryAfterMs(value: string | undefined, nowMs: number): number | null {
  if (value === undefined || value.trim() === '') return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - nowMs);
}

/** Resolves after `ms`, or rejects with the signal's own reason when it is aborted first. */
export async function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await sleep(ms, undefined, signal === undefined ? {} : { signal });
  } catch (error) {
    // The signal's reason (e.g. a RunCancelled) says why; node's AbortError says only that it was.
    throw signal?.aborted === true ? (signal.reason as Error) : error;
  }
}
