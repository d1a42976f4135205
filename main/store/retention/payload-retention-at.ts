import { openStore } from '../open-store.js';
import { runPayloadRetention, type PayloadRetentionRun } from './payload-retention.js';

export interface PayloadRetentionRequest {
  readonly days: number;
  /** Who the pass's audit row names: 'system' for the schedule, the administrator otherwise. */
  readonly actor: string;
  /** ISO time the pass counts the age from (the serving thread's clock, so tests can pin it). */
  readonly now: string;
}

/**
 * One retention pass on its own connection, for the store worker: pruning rewrites every settled
 * payload in batches, which on a large store takes seconds the thread serving the window or HTTP
 * must not spend. The pass's audit row is appended on this connection; the chain head is read
 * inside the write transaction (sqlite-audit-log.ts), so it cannot fork the serving thread's log.
 */
export function runPayloadRetentionAt(
  dataDir: string,
  request: PayloadRetentionRequest,
): PayloadRetentionRun {
  const store = openStore({ dataDir });
  try {
    return runPayloadRetention(store, {
      days: request.days,
      actor: request.actor,
      now: new Date(request.now),
    });
  } finally {
    store.close();
  }
}
