/**
 * Slows password guessing: after a few failures for one username, further attempts are refused
 * for a growing pause. In memory on purpose: a restart needs local access anyway.
 */
const FREE_ATTEMPTS = 5;
const BASE_PAUSE_MS = 30_000;
const MAX_PAUSE_MS = 15 * 60_000;

interface Failures {
  count: number;
  blockedUntil: number;
}

export class LoginThrottle {
  private readonly failures = new Map<string, Failures>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Milliseconds the caller must still wait, or 0 when an attempt is allowed. */
  waitFor(username: string): number {
    const entry = this.failures.get(username);
    if (!entry) return 0;
    return Math.max(0, entry.blockedUntil - this.now());
  }

  recordFailure(username: string): void {
    const entry = this.failures.get(username) ?? { count: 0, blockedUntil: 0 };
    entry.count += 1;
    if (entry.count >= FREE_ATTEMPTS) {
      const pause = Math.min(MAX_PAUSE_MS, BASE_PAUSE_MS * 2 ** (entry.count - FREE_ATTEMPTS));
      entry.blockedUntil = this.now() + pause;
    }
    this.failures.set(username, entry);
    if (this.failures.size > 10_000) this.failures.delete(this.failures.keys().next().value ?? '');
  }

  recordSuccess(username: string): void {
    this.failures.delete(username);
  }
}
