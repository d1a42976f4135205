import type { EmulatorState } from './emulator-state.js';

/**
 * Fault injection for tests and demos: one-shot faults served in order (HTTP 5xx, a reset
 * connection, a request that never gets an answer, a database error raised by the whole call), an
 * outage window during which every request gets 503, extra latency, expiry of every API key (auth
 * expiry), and `load` calls whose rows fail to serialize (what overlapping loads get from Odoo).
 */

export type Fault =
  | { readonly kind: 'status'; readonly status: number }
  | { readonly kind: 'reset' }
  | { readonly kind: 'hang' }
  | { readonly kind: 'db-error'; readonly name: string; readonly message: string };

export class FaultController {
  private readonly queue: Fault[] = [];
  private outageUntil = 0;
  private outageFrom = 0;
  /** Extra milliseconds added to every answer. */
  extraLatencyMs = 0;
  private servedHere = 0;

  constructor(private readonly state: EmulatorState) {}

  failNext(count = 1, status = 503): this {
    for (let index = 0; index < count; index += 1) this.queue.push({ kind: 'status', status });
    return this;
  }

  resetNext(count = 1): this {
    for (let index = 0; index < count; index += 1) this.queue.push({ kind: 'reset' });
    return this;
  }

  hangNext(count = 1): this {
    for (let index = 0; index < count; index += 1) this.queue.push({ kind: 'hang' });
    return this;
  }

  dbErrorNext(
    count = 1,
    name = 'psycopg2.errors.SerializationFailure',
    message = 'could not serialize access due to concurrent update',
  ): this {
    for (let index = 0; index < count; index += 1) this.queue.push({ kind: 'db-error', name, message });
    return this;
  }

  /**
   * The next `count` `load` calls find every row they write locked by a concurrent transaction:
   * Odoo answers `ids: false` with a row message "could not serialize access due to concurrent
   * update" per record (at most 10, then a warning), not a call error.
   */
  serializationConflictNext(count = 1): this {
    this.state.rowLocks.forceConflicts(count);
    return this;
  }

  /** How many faults have been served (tests assert the fault really happened). */
  get served(): number {
    return this.servedHere + this.state.rowLocks.forcedServed;
  }

  /** Every request gets 503 from `startInMs` from now for `durationMs`. */
  outage(durationMs: number, startInMs = 0): this {
    this.outageFrom = Date.now() + startInMs;
    this.outageUntil = this.outageFrom + durationMs;
    return this;
  }

  /** Every API key stops working, as when keys reach their expiration date. */
  expireApiKeys(): this {
    this.state.expireApiKeys();
    return this;
  }

  clear(): this {
    this.queue.length = 0;
    this.outageFrom = 0;
    this.outageUntil = 0;
    this.extraLatencyMs = 0;
    this.state.rowLocks.clearForced();
    return this;
  }

  get pending(): number {
    return this.queue.length;
  }

  /** The fault for the request arriving now, if any. */
  take(): Fault | null {
    const now = Date.now();
    if (now >= this.outageFrom && now < this.outageUntil) {
      this.servedHere += 1;
      return { kind: 'status', status: 503 };
    }
    const fault = this.queue.shift() ?? null;
    if (fault !== null) this.servedHere += 1;
    return fault;
  }
}
