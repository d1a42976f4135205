/** A connection's circuit breaker as the console shows it (issue 11, item 1). */
export type ConnectionBreakerState = 'closed' | 'open' | 'half-open';

export interface ConnectionBreakerTransition {
  readonly from: ConnectionBreakerState;
  readonly to: ConnectionBreakerState;
  readonly at: string;
  /** The error that opened it, or the probe's one-sentence answer. */
  readonly reason: string;
}

export interface ConnectionBreakerView {
  readonly connectionId: string;
  readonly state: ConnectionBreakerState;
  /** When it entered its state; while open or half-open: when the connection went down. */
  readonly since: string;
  readonly lastError: string | null;
  /** Consecutive whole calls that failed transiently. */
  readonly failures: number;
  /** When the engine tests the connection next (open or half-open), else null. */
  readonly nextProbeAt: string | null;
  /** The latest transitions, newest first. */
  readonly transitions: readonly ConnectionBreakerTransition[];
  /** Flows whose runs stopped on this breaker and resume when it closes. */
  readonly waitingFlowIds: readonly string[];
}
