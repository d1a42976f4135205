import { bulkhead, TaskCancelledError, type BulkheadPolicy } from 'cockatiel';
import { ConnectorError } from '../types.js';
import { systemClock, TokenBucket, type Clock } from '../http/token-bucket.js';

/**
 * Per-connection limits so the console can never overwhelm a clinic's Odoo: at most
 * `maxConcurrentCalls` calls in flight (cockatiel bulkhead, unbounded queue: callers wait rather than
 * fail) and at most `maxCallsPerSecond` calls started per second (token bucket).
 */
export interface ThrottleLimits {
  readonly maxConcurrentCalls: number;
  readonly maxCallsPerSecond: number;
}

export class Throttle {
  private readonly slots: BulkheadPolicy;
  private readonly rate: TokenBucket;
  private inFlight = 0;
  private peak = 0;

  constructor(limits: ThrottleLimits, clock: Clock = systemClock) {
    this.slots = bulkhead(limits.maxConcurrentCalls, Number.POSITIVE_INFINITY);
    // A burst as large as the concurrency limit lets a fresh connection fill its slots at once.
    const burst = Math.max(1, Math.min(limits.maxConcurrentCalls, Math.floor(limits.maxCallsPerSecond)));
    this.rate = new TokenBucket(limits.maxCallsPerSecond, burst, clock);
  }

  /** Highest number of calls that were in flight at once (for tests and status). */
  get peakConcurrency(): number {
    return this.peak;
  }

  async run<T>(task: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    try {
      return await this.slots.execute(async ({ signal: slotSignal }) => {
        await this.rate.acquire(slotSignal);
        this.inFlight += 1;
        this.peak = Math.max(this.peak, this.inFlight);
        try {
          return await task(slotSignal);
        } finally {
          this.inFlight -= 1;
        }
      }, signal);
    } catch (error) {
      if (
        error instanceof TaskCancelledError ||
        (signal?.aborted === true && !(error instanceof ConnectorError))
      ) {
        throw new ConnectorError('transient', 'net.cancelled', 'The call was cancelled', { cause: error });
      }
      throw error;
    }
  }
}
