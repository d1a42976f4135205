import type Database from 'better-sqlite3';
import type {
  ConnectionBreakerState,
  ConnectionBreakerTransition,
  ConnectionBreakerView,
} from '../../../shared/domain/connection-breaker.js';
import { ConnectionBreakers } from './connection-breakers.js';

const RECENT_TRANSITIONS = 10;

/** The breakers as `connections.breakers` answers them, with their latest transitions. */
export function breakerViews(db: Database.Database): ConnectionBreakerView[] {
  // Read only: nothing here moves a breaker, so no event is ever emitted.
  const breakers = new ConnectionBreakers(db, () => undefined);
  const transitions = db.prepare<
    [string, number],
    { from_state: ConnectionBreakerState; to_state: ConnectionBreakerState; at: string; reason: string }
  >(
    'SELECT from_state, to_state, at, reason FROM connection_breaker_transitions WHERE connection_id = ? ORDER BY id DESC LIMIT ?',
  );
  const waiting = db.prepare<[string], { flow_id: string }>(
    'SELECT flow_id FROM connection_breaker_waits WHERE connection_id = ? ORDER BY flow_id',
  );
  return breakers.all().map((breaker) => ({
    connectionId: breaker.connectionId,
    state: breaker.state,
    since: breaker.since,
    lastError: breaker.lastError,
    failures: breaker.failures,
    nextProbeAt: breaker.nextProbeAt,
    transitions: transitions
      .all(breaker.connectionId, RECENT_TRANSITIONS)
      .map((row): ConnectionBreakerTransition => ({
        from: row.from_state,
        to: row.to_state,
        at: row.at,
        reason: row.reason,
      })),
    waitingFlowIds: waiting.all(breaker.connectionId).map((row) => row.flow_id),
  }));
}
